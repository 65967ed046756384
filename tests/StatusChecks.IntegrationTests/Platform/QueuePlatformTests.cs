using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace StatusChecks.IntegrationTests.Platform;

/// <summary>The queue path through the local host: polling, base64 decoding, retries and the poison queue.</summary>
[Collection(ServiceCollection.Name)]
public sealed class QueuePlatformTests(ServiceFixture service)
{
    private const string ProbeQueue = "platform-probe";
    private const string ProbeTable = "PlatformProbe";
    private const int MaxDequeueCount = 5; // host.json extensions.queues.maxDequeueCount

    [Fact]
    public async Task QueueMessage_ReachesQueueFunctionOnce()
    {
        var id = Guid.NewGuid().ToString("N");

        await SendProbeAsync(id, fail: false);

        var receipt = await WaitForReceiptAsync(id, entity => true);
        Assert.Equal(1L, receipt.GetInt64("Attempts"));
        Assert.False(receipt.GetBoolean("Failed"));
    }

    [Fact]
    public async Task FailingMessage_RetriedMaxDequeueCountTimes_ThenMovedToPoisonQueue()
    {
        var id = Guid.NewGuid().ToString("N");

        await SendProbeAsync(id, fail: true);

        var poison = service.Queues.GetQueueClient(ProbeQueue + "-poison");
        var poisoned = await Eventually.GetAsync(
            async () =>
            {
                if (!await poison.ExistsAsync())
                {
                    return null;
                }

                var peeked = await poison.PeekMessagesAsync(maxMessages: 32);
                return peeked.Value.FirstOrDefault(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(60),
            "the failing probe in the poison queue");

        Assert.NotNull(poisoned);
        var receipt = await WaitForReceiptAsync(id, entity => entity.GetInt64("Attempts") == MaxDequeueCount);
        Assert.True(receipt.GetBoolean("Failed"));
    }

    private async Task SendProbeAsync(string id, bool fail)
    {
        var queue = service.Queues.GetQueueClient(ProbeQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(new { id, fail }));
    }

    private Task<TableEntity> WaitForReceiptAsync(string id, Func<TableEntity, bool> condition) =>
        Eventually.GetAsync(
            async () =>
            {
                try
                {
                    var table = service.Tables.GetTableClient(ProbeTable);
                    var entity = (await table.GetEntityAsync<TableEntity>("probe", id)).Value;
                    return condition(entity) ? entity : null;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    return null;
                }
            },
            TimeSpan.FromSeconds(60),
            $"probe {id} recorded");
}
