using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// The worker process dies (SIGKILL) while a notification is in flight to a slow receiver. The local host restarts
/// the worker; the delivery must still arrive, be recorded once as succeeded, and not be sent again afterwards.
/// A service of its own, with a short request timeout so the crashed sender's claim expires in about 35 s.
/// </summary>
public sealed class WorkerCrashDeliveryTests(ITestOutputHelper output) : IsolatedService
{
    private static readonly TimeSpan SinkDelay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(IsolatedService.FastQueueSettings)
    {
        ["StatusChecks__Notifications__RequestTimeout"] = "00:00:05",
    };

    [Fact]
    public async Task Delivery_WorkerKilledWhileRequestInFlight_DeliveredAfterRestartAndNotResentAfterSuccess()
    {
        await using var sink = await WebhookSink.StartAsync(new WebhookSinkOptions { Delay = SinkDelay }); // records on arrival, answers 200 after the delay
        var api = new GitLabApi(Host);
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = (long)(await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Post, project.ChecksPath, new { name = StatusCheckProject.NewName(), external_url = sink.Url }, HttpStatusCode.Created))["id"]!;
        var (iid, _) = await project.MergeRequestAsync();

        await Eventually.GetAsync(() => Task.FromResult(sink.Requests.Count > 0 ? sink.Requests : null), Patience, "the first delivery to reach the sink");
        var worker = Host.WorkerProcessId;
        using (var process = Process.GetProcessById(worker))
        {
            process.Kill(); // SIGKILL mid-request: the sink is still holding its answer back
            await process.WaitForExitAsync();
        }

        var crashedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed worker {worker} at {crashedAt:O} with the first request in flight");

        var log = await Eventually.GetAsync(
            async () => await DeliveriesAsync(project, iid, checkId) is { } items && items.Any(item => (string?)item!["status"] == "succeeded") ? items : null,
            Patience,
            "a succeeded delivery after the crash");
        var recorded = sink.Requests.Count;
        await Task.Delay(TimeSpan.FromSeconds(10)); // long enough for any stray copy of the message to be sent
        var requests = sink.Requests;
        foreach (var request in requests)
        {
            output.WriteLine($"{request.ReceivedAt:O} event {EventId(request)} answered: {request.Answered}");
        }

        Assert.NotEqual(worker, Host.WorkerProcessId); // the host started a new worker itself
        Assert.Single(requests.Select(EventId).Distinct()); // one MR event throughout
        Assert.True(requests.Count >= 2, "the delivery must be sent again after the crash");
        Assert.Equal(recorded, requests.Count); // nothing sent after the success was recorded
        Assert.Single(requests, r => r.Answered && r.ReceivedAt > crashedAt);
        var attempt = Assert.Single((await DeliveriesAsync(project, iid, checkId))!);
        Assert.Equal(("succeeded", 200, 1), ((string?)attempt!["status"], (int?)attempt["response_code"], (int?)attempt["attempt"]));
    }

    /// <summary>The delivery log, or null while the worker is restarting (the API answers 503 then).</summary>
    private static async Task<JsonArray?> DeliveriesAsync(StatusCheckProject project, long iid, long checkId)
    {
        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, $"{project.MergeRequestPath(iid)}/status_checks/{checkId}/deliveries");
        return status == HttpStatusCode.OK ? body!.AsArray() : null;
    }

    private static string EventId(SinkRequest request) => request.Header("X-Gitlab-Event-UUID") ?? "";
}
