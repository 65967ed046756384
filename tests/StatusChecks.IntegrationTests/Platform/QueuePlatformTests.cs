using System.Net;
using StatusChecks.IntegrationTests.Notifications;

namespace StatusChecks.IntegrationTests.Platform;

/// <summary>
/// The queue path through the local host with the real queue functions: polling and base64 decoding (an MR event
/// travels mr-events -> fan-out -> deliveries -> a local sink), and retries ending in the poison queue.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class QueuePlatformTests(ServiceFixture service)
{
    private const int MaxDequeueCount = 5; // host.json extensions.queues.maxDequeueCount

    [Fact]
    public async Task MergeRequestEvent_ReachesBothQueueFunctionsAndTheSink()
    {
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var api = new GitLabApi(service.Host);
        var project = await api.CreateProjectAsync();
        var id = project["id"]!.GetValue<long>();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{id}/external_status_checks", new { name = "probe", external_url = sink.Url }, HttpStatusCode.Created);

        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{id}/merge_requests", new { source_branch = "f", target_branch = "main", title = "T", sha = GitLabApi.Sha() }, HttpStatusCode.Created);

        var request = Assert.Single(await sink.WaitForAsync(1));
        Assert.Equal("Merge Request Hook", request.Header("X-Gitlab-Event"));
    }

    [Fact]
    public async Task UndecodableEvent_RetriedMaxDequeueCountTimes_ThenMovedToPoisonQueue()
    {
        var text = "not an event " + Guid.NewGuid().ToString("N");
        var queue = service.Queues.GetQueueClient("mr-events");
        await queue.CreateIfNotExistsAsync();

        var sent = await queue.SendMessageAsync(text);

        var poison = service.Queues.GetQueueClient("mr-events-poison");
        var poisoned = await Eventually.GetAsync(
            async () =>
            {
                if (!await poison.ExistsAsync())
                {
                    return null;
                }

                var peeked = await poison.PeekMessagesAsync(maxMessages: 32);
                return peeked.Value.FirstOrDefault(m => m.Body.ToString() == text);
            },
            TimeSpan.FromSeconds(60),
            "the undecodable event in the poison queue");

        Assert.NotNull(poisoned);
        var messageId = sent.Value.MessageId;
        var output = service.Host.Process.Output;
        Assert.Contains($"failed on message {messageId} after {MaxDequeueCount} attempts", output, StringComparison.Ordinal);
        Assert.Equal(MaxDequeueCount, Count(output, $"Message {messageId} on queue mr-events cannot be decoded"));
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
