using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using StatusChecks.Benchmarks.Measurement;
using StatusChecks.Benchmarks.Stack;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Notifications;

/// <summary>
/// Issue "Queue fan-out": how long an MR update takes to reach an external service on an idle system, and how
/// fast the queue fan-out delivers a burst, next to a plain HttpClient loop posting the same bodies to the same sinks
/// and to the <see cref="QueueFloor"/> (the same bodies through a bare queue, one message each).
/// </summary>
internal static class NotificationsBenchmark
{
    // Issue 11 item 4: p95 under 1 s on an idle machine; with sinks as slow as real services (200 ms), at least 80 %
    // of the plain loop; with instant sinks, at least twice the bare-queue floor (one message per delivery) of the run.
    private static readonly TimeSpan MaxP95 = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(5);
    private const double MinPlainRatioWithSlowSinks = 0.8;
    private const double MinFloorRatioWithInstantSinks = 2.0;

    public static async Task<ResultTable> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var concurrency = HostQueueConcurrency();
        var table = new ResultTable(
            $"notifications benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {ProcFs.LoadAverage()}, " +
            $"{options.Sinks} sinks answering after {options.SinkDelay.TotalMilliseconds:0} ms, host queue concurrency {concurrency} (host.json batchSize + newBatchThreshold)");

        await using var sinks = await WebhookSink.StartAsync(new WebhookSinkOptions { Endpoints = options.Sinks, Delay = options.SinkDelay });
        await using var stack = await ServiceStack.StartAsync("notifications", new Dictionary<string, string?> { ["StatusChecks__Notifications__AllowPrivateNetworks"] = "true" });
        var api = new GitLabApi(stack.Host);

        await MeasureLatencyAsync(api, sinks, options, table, cancellationToken);
        var (throughput, bodies, burst) = await MeasureThroughputAsync(stack, api, sinks, options, table, cancellationToken);
        var queued = await MeasureQueuedBurstAsync(stack, sinks, burst, options, table, cancellationToken);
        if (bodies.Count > 0)
        {
            var plain = await MeasurePlainLoopAsync(sinks, bodies, throughput, concurrency, options.SinkDelay, table, cancellationToken);
            Console.WriteLine($"Queue floor: {bodies.Count} messages through a bare queue (load average {ProcFs.LoadAverage()}) ...");
            var floor = await QueueFloor.MeasureAsync(stack.Azurite.ConnectionString, sinks, bodies, concurrency, cancellationToken);
            table.Add("Queue floor (bare QueueClient: send, receive, POST, delete)", ResultTable.PerSecond(floor));
            table.Add("Queue floor / plain loop throughput", ResultTable.Percent(floor / plain));
            table.Add("Fan-out (events from the PUTs) / queue floor", ResultTable.Percent(throughput / floor));
            // Like for like: the floor's producer queues its messages directly, so does this burst.
            var floorRatio = queued / floor;
            if (options.SinkDelay == TimeSpan.Zero)
            {
                table.Add("Fan-out (events queued at once) / queue floor", ResultTable.Percent(floorRatio), $">= {MinFloorRatioWithInstantSinks:P0} (instant sinks)", floorRatio >= MinFloorRatioWithInstantSinks);
            }
            else
            {
                table.Add("Fan-out (events queued at once) / queue floor", ResultTable.Percent(floorRatio));
            }
        }

        await stack.StopHostAsync();
        table.Note($"Load average at end: {ProcFs.LoadAverage()}. Host and worker output: {ServiceStack.LogPath("notifications")}.");
        return table;
    }

    /// <summary>(a) One check; MR updates one at a time, at random gaps so they land anywhere in the host's idle polling.</summary>
    private static async Task MeasureLatencyAsync(GitLabApi api, WebhookSink sinks, BenchOptions options, ResultTable table, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Latency: {options.Events} MR updates, one check, idle system (load average {ProcFs.LoadAverage()}) ...");
        var project = await StatusCheckProject.CreateAsync(api);
        await project.CheckIdAsync(name: "latency", url: new Uri(sinks.Urls[0], "/latency").AbsoluteUri);
        var (iid, sha) = await project.MergeRequestAsync();
        await ReceiveAsync(sinks, sha, cancellationToken); // warm-up: the opening notification

        var latencies = new List<double>();
        var missed = 0;
        for (var i = 0; i < options.Events; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(250, 1500)), cancellationToken);
            sinks.Clear();
            sha = GitLabApi.Sha();
            var started = Stopwatch.GetTimestamp();
            await project.UpdateMergeRequestAsync(iid, new { sha });
            if (await ReceiveAsync(sinks, sha, cancellationToken) is { } receipt)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started, receipt.Timestamp).TotalMilliseconds);
            }
            else
            {
                missed++;
            }
        }

        latencies.Sort();
        var p95 = Percentiles.Of(latencies, 95);
        table.Add("Latency MR update -> sink receipt: events", $"{latencies.Count} received, {missed} missed", ">= 50, 0 missed", latencies.Count >= 50 && missed == 0);
        table.Add("Latency MR update -> sink receipt: p50", ResultTable.Ms(Percentiles.Of(latencies, 50)));
        table.Add("Latency MR update -> sink receipt: p95", ResultTable.Ms(p95), $"< {MaxP95.TotalMilliseconds:0} ms (idle machine)", p95 < MaxP95.TotalMilliseconds);
        table.Add("Latency MR update -> sink receipt: max", ResultTable.Ms(latencies.Count == 0 ? double.NaN : latencies[^1]));
    }

    /// <summary>
    /// (b) One check per sink on one project and one MR per update: the MRs' opening is the warm-up (the same
    /// deliveries), then every MR gets a new commit at once; deliveries/s from the first PUT to the last receipt.
    /// </summary>
    private static async Task<(double PerSecond, IReadOnlyList<SinkRequest> Receipts, Burst Burst)> MeasureThroughputAsync(
        ServiceStack stack, GitLabApi api, WebhookSink sinks, BenchOptions options, ResultTable table, CancellationToken cancellationToken)
    {
        var expected = options.Sinks * options.Updates;
        Console.WriteLine($"Throughput: {options.Sinks} checks x {options.Updates} MRs = {expected} deliveries (warm-up: the same from opening the MRs) ...");
        var project = await StatusCheckProject.CreateAsync(api);
        var projectId = project.Id;
        var checkIds = new List<long>();
        for (var sink = 0; sink < options.Sinks; sink++)
        {
            checkIds.Add(await project.CheckIdAsync(name: $"sink-{sink}", url: sinks.Urls[sink].AbsoluteUri));
        }

        sinks.Clear();
        var iids = new List<long>();
        for (var i = 0; i < options.Updates; i++)
        {
            iids.Add((await project.MergeRequestAsync()).Iid);
        }

        if (!await sinks.WaitUntilAsync(received => received.Count >= expected, DeliveryTimeout, cancellationToken))
        {
            table.Note($"Warm-up incomplete: {sinks.Requests.Count} of {expected} opening notifications arrived.");
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // the last attempts' records land; pollers go idle

        Console.WriteLine($"Throughput: measuring (load average {ProcFs.LoadAverage()}) ...");
        sinks.Clear();
        var shas = iids.Select(_ => GitLabApi.Sha()).ToList();
        var cpu = new CpuMeter(new Dictionary<string, int>
        {
            ["azurite"] = ProcFs.FindChild(Environment.ProcessId, "azurite") ?? 0,
            ["host"] = stack.Host.Process.Id,
            ["worker"] = stack.WorkerProcessId,
            ["bench"] = Environment.ProcessId,
        });
        var rss = RssSampler.Start(stack.WorkerProcessId);
        var started = Stopwatch.GetTimestamp();
        var enqueued = TimeSpan.Zero;
        var wanted = shas.ToHashSet();
        var mergeRequestIds = new long[iids.Count];
        var receipts = await cpu.MeasureAsync("fan-out", async () =>
        {
            await Task.WhenAll(iids.Select(async (iid, i) => mergeRequestIds[i] = (await project.UpdateMergeRequestAsync(iid, new { sha = shas[i] }))["id"]!.GetValue<long>()));
            enqueued = Stopwatch.GetElapsedTime(started);
            await sinks.WaitUntilAsync(received => received.Count >= expected, DeliveryTimeout, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // CPU of recording the last attempts too
            return sinks.Requests.Where(receipt => wanted.Contains(receipt.Sha())).ToList();
        }, received => received.Count);
        await rss.DisposeAsync();

        var distinct = receipts.Select(receipt => (receipt.Endpoint, Sha: receipt.Sha())).Distinct().Count();
        var seconds = receipts.Count == 0 ? double.NaN : Stopwatch.GetElapsedTime(started, receipts.Max(receipt => receipt.Timestamp)).TotalSeconds;
        var firstMs = receipts.Count == 0 ? double.NaN : Stopwatch.GetElapsedTime(started, receipts.Min(receipt => receipt.Timestamp)).TotalMilliseconds;
        var perSecond = distinct / seconds;
        table.Add("Fan-out: deliveries received", $"{distinct} distinct of {expected} ({receipts.Count - distinct} duplicates)", $"{expected}", distinct == expected);
        table.Add("Fan-out: throughput (first PUT -> last receipt)", $"{ResultTable.PerSecond(perSecond)} ({distinct} in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s)");
        table.Add("Fan-out: first receipt after first PUT", $"{ResultTable.Ms(firstMs)} ({options.Updates} PUTs took {ResultTable.Ms(enqueued.TotalMilliseconds)})");
        table.Add("Fan-out: steady rate (first -> last receipt)", ResultTable.PerSecond(distinct / (seconds - firstMs / 1000)));
        // The events are published by the PUTs: when those are the bottleneck (a loaded machine), this says how far
        // behind the last one the fan-out finished.
        table.Add("Fan-out: last PUT answered -> last receipt", ResultTable.Ms(seconds * 1000 - enqueued.TotalMilliseconds));
        table.Add("Fan-out: worker RSS max / average", $"{ResultTable.MiB(rss.Samples.DefaultIfEmpty().Max())} / {ResultTable.MiB(rss.Samples.Count == 0 ? double.NaN : rss.Samples.Average())}");
        table.Note($"CPU per delivery, fan-out (to 2 s after the last receipt): {cpu.PerOperation("fan-out")}.");
        return (perSecond, receipts, new Burst(projectId, checkIds, iids.Select((iid, i) => (iid, mergeRequestIds[i], shas[i])).ToList()));
    }

    /// <summary>What the burst re-notifies: every check of the throughput project on each of its MRs.</summary>
    private sealed record Burst(long ProjectId, IReadOnlyList<long> CheckIds, IReadOnlyList<(long Iid, long Id, string Sha)> MergeRequests);

    /// <summary>
    /// (c) The fan-out's own rate, without the API's: one retry event per MR naming every check (what
    /// <c>POST .../status_checks/:id/retry</c> publishes, for all checks at once) put on <c>mr-events</c> directly and
    /// at once, as the queue floor's producer does; deliveries/s from the first send to the last receipt.
    /// </summary>
    private static async Task<double> MeasureQueuedBurstAsync(ServiceStack stack, WebhookSink sinks, Burst burst, BenchOptions options, ResultTable table, CancellationToken cancellationToken)
    {
        var expected = burst.CheckIds.Count * burst.MergeRequests.Count;
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // the last records land; pollers go idle
        Console.WriteLine($"Queued burst: {burst.MergeRequests.Count} events x {burst.CheckIds.Count} checks put on mr-events at once (load average {ProcFs.LoadAverage()}) ...");
        var events = new QueueClient(stack.Azurite.ConnectionString, "mr-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var messages = burst.MergeRequests.Select(mr => new JsonObject
        {
            ["kind"] = "RetryRequested",
            ["projectId"] = burst.ProjectId,
            ["mergeRequestId"] = mr.Id,
            ["mergeRequestIid"] = mr.Iid,
            ["sha"] = mr.Sha,
            ["targetBranch"] = "main",
            ["checkIds"] = new JsonArray([.. burst.CheckIds.Select(id => (JsonNode)id)]),
            ["actor"] = "admin",
            ["occurredAt"] = DateTimeOffset.UtcNow,
            ["eventId"] = Guid.NewGuid(),
            ["revision"] = 0,
        }.ToJsonString()).ToList();
        sinks.Clear();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(messages.Select(message => events.SendMessageAsync(message, cancellationToken)));
        var sent = Stopwatch.GetElapsedTime(started);
        await sinks.WaitUntilAsync(received => received.Count >= expected, DeliveryTimeout, cancellationToken);
        var receipts = sinks.Requests.ToList();
        var distinct = receipts.Select(receipt => (receipt.Endpoint, Sha: receipt.Sha())).Distinct().Count();
        var seconds = receipts.Count == 0 ? double.NaN : Stopwatch.GetElapsedTime(started, receipts.Max(receipt => receipt.Timestamp)).TotalSeconds;
        var perSecond = distinct / seconds;
        table.Add("Fan-out, events queued at once: deliveries received", $"{distinct} distinct of {expected} ({receipts.Count - distinct} duplicates)", $"{expected}", distinct == expected);
        table.Add(
            "Fan-out, events queued at once: throughput (first send -> last receipt)",
            $"{ResultTable.PerSecond(perSecond)} ({distinct} in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s; sends took {ResultTable.Ms(sent.TotalMilliseconds)})");
        return perSecond;
    }

    /// <summary>The floor: the same bodies to the same sinks with a plain HttpClient, at the host's queue concurrency.</summary>
    private static async Task<double> MeasurePlainLoopAsync(
        WebhookSink sinks, IReadOnlyList<SinkRequest> bodies, double fanOutPerSecond, int concurrency, TimeSpan sinkDelay, ResultTable table, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Plain loop: {bodies.Count} POSTs, concurrency {concurrency} (load average {ProcFs.LoadAverage()}) ...");
        using var http = SinkReplay.CreatePlainClient();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };

        async Task PostAllAsync(IEnumerable<SinkRequest> posts) =>
            await Parallel.ForEachAsync(posts, parallel, async (receipt, ct) => await sinks.ReplayAsync(http, receipt, ct));

        await PostAllAsync(bodies.Take(100)); // warm-up, as the host's delivery client was
        var started = Stopwatch.GetTimestamp();
        await PostAllAsync(bodies);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var plain = bodies.Count / seconds;
        table.Add("Plain HttpClient loop: throughput", $"{ResultTable.PerSecond(plain)} ({bodies.Count} in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s)");
        var ratio = fanOutPerSecond / plain;
        if (sinkDelay > TimeSpan.Zero)
        {
            table.Add("Fan-out / plain loop throughput", ResultTable.Percent(ratio), $">= {MinPlainRatioWithSlowSinks:P0} (sinks with a delay)", ratio >= MinPlainRatioWithSlowSinks);
        }
        else
        {
            // Instant sinks: the loop is bare HTTP with no storage at all; the target is the queue floor's.
            table.Add("Fan-out / plain loop throughput", ResultTable.Percent(ratio));
        }
        return plain;
    }

    private static async Task<SinkRequest?> ReceiveAsync(WebhookSink sinks, string sha, CancellationToken cancellationToken) =>
        await sinks.WaitUntilAsync(received => received.Any(receipt => receipt.Sha() == sha), TimeSpan.FromSeconds(30), cancellationToken)
            ? sinks.Requests.First(receipt => receipt.Sha() == sha)
            : null;

    /// <summary>
    /// How many queue messages the host runs at once: batchSize + newBatchThreshold, from host.json or from the
    /// AzureFunctionsJobHost__extensions__queues__* overrides in this process's environment (which the host inherits).
    /// </summary>
    private static int HostQueueConcurrency()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var queues = document.RootElement.GetProperty("extensions").GetProperty("queues");
        int Setting(string name) =>
            Environment.GetEnvironmentVariable("AzureFunctionsJobHost__extensions__queues__" + name) is { } overridden
                ? int.Parse(overridden, CultureInfo.InvariantCulture)
                : queues.GetProperty(name).GetInt32();

        return Setting("batchSize") + Setting("newBatchThreshold");
    }
}
