using System.Collections.Concurrent;
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
        await using var sink = new SlowSink(SinkDelay);
        var api = new GitLabApi(Host);
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = (long)(await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Post, project.ChecksPath, new { name = StatusCheckProject.NewName(), external_url = sink.Url }, HttpStatusCode.Created))["id"]!;
        var (iid, _) = await project.MergeRequestAsync();

        await Eventually.GetAsync(() => Task.FromResult(sink.Received.Count > 0 ? sink.Received : null), Patience, "the first delivery to reach the sink");
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
        var recorded = sink.Received.Count;
        await Task.Delay(TimeSpan.FromSeconds(10)); // long enough for any stray copy of the message to be sent
        var requests = sink.Received.ToList();
        foreach (var request in requests)
        {
            output.WriteLine($"{request.At:O} event {request.EventId} answered: {request.Answered}");
        }

        Assert.NotEqual(worker, Host.WorkerProcessId); // the host started a new worker itself
        Assert.Single(requests.Select(r => r.EventId).Distinct()); // one MR event throughout
        Assert.True(requests.Count >= 2, "the delivery must be sent again after the crash");
        Assert.Equal(recorded, requests.Count); // nothing sent after the success was recorded
        Assert.Single(requests, r => r.Answered && r.At > crashedAt);
        var attempt = Assert.Single((await DeliveriesAsync(project, iid, checkId))!);
        Assert.Equal(("succeeded", 200, 1), ((string?)attempt!["status"], (int?)attempt["response_code"], (int?)attempt["attempt"]));
    }

    /// <summary>The delivery log, or null while the worker is restarting (the API answers 503 then).</summary>
    private static async Task<JsonArray?> DeliveriesAsync(StatusCheckProject project, long iid, long checkId)
    {
        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, $"{project.MergeRequestPath(iid)}/status_checks/{checkId}/deliveries");
        return status == HttpStatusCode.OK ? body!.AsArray() : null;
    }

    /// <summary>A receiver that records each request on arrival, then answers 200 only after <paramref name="delay"/>.</summary>
    private sealed class SlowSink : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly CancellationTokenSource stopping = new();
        private readonly ConcurrentQueue<Received> received = new();
        private readonly TimeSpan delay;
        private readonly Task loop;

        public SlowSink(TimeSpan delay)
        {
            this.delay = delay;
            var port = FreePort.Next();
            Url = $"http://127.0.0.1:{port}/hooks/{Guid.NewGuid():N}";
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            loop = Task.Run(AcceptAsync);
        }

        public string Url { get; }

        public IReadOnlyList<Received> Received => [.. received];

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            listener.Close();
            await loop;
            stopping.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    _ = Task.Run(() => AnswerAsync(context));
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
            }
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            var request = new Received(context.Request.Headers["X-Gitlab-Event-UUID"] ?? "", DateTimeOffset.UtcNow);
            received.Enqueue(request);
            try
            {
                await context.Request.InputStream.CopyToAsync(Stream.Null, stopping.Token);
                await Task.Delay(delay, stopping.Token);
                context.Response.StatusCode = 200;
                context.Response.Close();
                request.Answered = true;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
            {
                // The sender went away (the killed worker) or the sink is stopping.
            }
        }
    }

    private sealed record Received(string EventId, DateTimeOffset At)
    {
        public bool Answered { get; set; }
    }
}
