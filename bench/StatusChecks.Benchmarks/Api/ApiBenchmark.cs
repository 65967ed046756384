using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using StatusChecks.Benchmarks.Measurement;
using StatusChecks.Benchmarks.Stack;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Api;

/// <summary>
/// Issue "Prove it holds": the two hot API routes under concurrent load next to the same Table operations made
/// directly (the floor), the worker's memory under that load, and the worker's start-up times.
/// </summary>
internal static class ApiBenchmark
{
    private const double MinFloorRatio = 0.5;
    private const double MaxP99OverFloor = 4;
    private const double MaxWorkerRssMiB = 200;

    /// <summary>The worker and host run in this benchmark's own build configuration (the local host it references).</summary>
#if DEBUG
    private const string Build = "Debug";
#else
    private const string Build = "Release";
#endif

    public static async Task<ResultTable> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var table = new ResultTable(
            $"api benchmark, {Build} build, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {ProcFs.LoadAverage()}, " +
            $"{options.Clients} clients, {options.Prime.TotalSeconds:0} s warm-up, then per phase {options.Warmup.TotalSeconds:0} s + {options.Duration.TotalSeconds:0} s measured, {options.Checks} checks");

        // The MR's opening notifies every check once: a sink answers, so no failing delivery retries during the load.
        await using var sinks = await WebhookSink.StartAsync(new WebhookSinkOptions());
        var startups = new List<StartupFigures>();
        // The worker reports each response's storage round trips in headers (a diagnostic that is off by default).
        await using (var stack = await ServiceStack.StartAsync("api", new Dictionary<string, string?> { ["StatusChecks__Storage__ReportCalls"] = "true" }))
        {
            startups.Add(await StartupFigures.ReadAsync(stack.Host));
            var (target, token) = await ArrangeAsync(stack, sinks, options, cancellationToken);
            await RunLoadAsync(stack, target, token, options, table, cancellationToken);

            // Stop/start: the worker's start-up with a warm disk cache, on the same storage.
            await stack.StopHostAsync();
            for (var i = 0; i < options.Restarts; i++)
            {
                await using var host = await Testing.LocalHostInstance.StartAsync(stack.Azurite.ConnectionString, stack.Settings);
                startups.Add(await StartupFigures.ReadAsync(host));
            }
        }

        StartupFigures.AddRows(table, startups);
        table.Note($"Load average at end: {ProcFs.LoadAverage()}. Host and worker output: {ServiceStack.LogPath("api")}.");
        return table;
    }

    private static async Task<(FloorTarget Target, string Token)> ArrangeAsync(ServiceStack stack, WebhookSink sinks, BenchOptions options, CancellationToken cancellationToken)
    {
        var project = await StatusCheckProject.CreateAsync(new GitLabApi(stack.Host));
        var (projectId, userId, token) = (project.Id, project.DeveloperId, project.DeveloperToken);
        var checkIds = new List<long>();
        for (var i = 0; i < options.Checks; i++)
        {
            checkIds.Add(await project.CheckIdAsync(name: $"check-{i}", url: new Uri(sinks.Urls[0], $"/hook/{i}").AbsoluteUri));
        }

        var (iid, sha) = await project.MergeRequestAsync();
        if (!await sinks.WaitUntilAsync(received => received.Count >= options.Checks, TimeSpan.FromSeconds(60), cancellationToken))
        {
            Console.WriteLine($"Warning: only {sinks.Requests.Count} of {options.Checks} opening notifications arrived; deliveries may run during the load.");
        }

        var target = new FloorTarget(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), projectId, userId, iid, sha, checkIds);
        using var developer = stack.Host.CreateClient(token);
        var applicable = (await developer.GetFromJsonAsync<JsonArray>(StatusChecksPath(target) + "?per_page=100", cancellationToken))?.Count;
        Console.WriteLine($"Arranged project {projectId}, MR !{iid}, {checkIds.Count} checks; the MR lists {applicable} applicable checks.");
        return applicable == options.Checks ? (target, token) : throw new InvalidOperationException($"Expected {options.Checks} applicable checks, the API lists {applicable}.");
    }

    private static async Task RunLoadAsync(ServiceStack stack, FloorTarget target, string token, BenchOptions options, ResultTable table, CancellationToken cancellationToken)
    {
        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        var floor = new TableFloor(tables, target);
        var workerId = stack.WorkerProcessId;
        var cpu = new CpuMeter(new Dictionary<string, int>
        {
            ["azurite"] = ProcFs.FindChild(Environment.ProcessId, "azurite") ?? 0,
            ["host"] = stack.Host.Process.Id,
            ["worker"] = workerId,
            ["bench"] = Environment.ProcessId,
        });
        using var developer = stack.Host.CreateClient(token); // a Developer, so requests read the member row too
        var rss = new List<long>();
        var written = 0;
        var getTrips = new RoundTrips();
        var postTrips = new RoundTrips();

        async Task<LoadResult> PhaseAsync(string name, Func<int, long, CancellationToken, Task<bool>> operation, bool sampleWorker)
        {
            Console.WriteLine($"{name}: {options.Clients} clients, {options.Warmup.TotalSeconds:0} + {(options.Duration / 2).TotalSeconds:0.#} s (load average {ProcFs.LoadAverage()}) ...");
            LoadResult result;
            await using (var sampler = sampleWorker ? RssSampler.Start(workerId) : null)
            {
                result = await cpu.MeasureAsync(name, () => LoadRunner.RunAsync(name, options.Clients, options.Warmup, options.Duration / 2, operation, cancellationToken));
                if (sampler is not null)
                {
                    await sampler.DisposeAsync();
                    rss.AddRange(sampler.Samples);
                }
            }

            written += await TableFloor.DeleteResponsesAsync(tables, target, cancellationToken);
            if (result.FirstError is not null)
            {
                table.Note($"First error, {name}: {result.FirstError}");
            }

            return result;
        }

        var getPath = StatusChecksPath(target);
        var postPath = $"v4/projects/{target.ProjectId}/merge_requests/{target.Iid}/status_check_responses";
        async Task<bool> ApiGetAsync(int client, long iteration, CancellationToken ct)
        {
            using var response = await developer.GetAsync(getPath, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            getTrips.Add(response);
            return response.StatusCode == HttpStatusCode.OK;
        }

        async Task<bool> ApiPostAsync(int client, long iteration, CancellationToken ct)
        {
            var (checkId, status) = Rotate(target, client, iteration);
            using var response = await developer.PostAsJsonAsync(postPath, new { sha = target.Sha, external_status_check_id = checkId, status }, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            postTrips.Add(response);
            return response.StatusCode == HttpStatusCode.Created;
        }

        Task<bool> FloorGetAsync(int client, long iteration, CancellationToken ct) => floor.ListStatusChecksAsync(ct);

        Task<bool> FloorPostAsync(int client, long iteration, CancellationToken ct)
        {
            var (checkId, status) = Rotate(target, client, iteration);
            return floor.RespondAsync(checkId, status, ct);
        }

        // A fresh worker (and this process's Table client) spends its first seconds in the JIT's tiering: warm both
        // paths with a mixed load first, so the phases measure the steady state a long-running service is in.
        Console.WriteLine($"Warm-up: {options.Prime.TotalSeconds:0} s of mixed GET/POST on the API, then on the floor ...");
        await using (var sampler = RssSampler.Start(workerId))
        {
            await LoadRunner.RunAsync("warm-up API", options.Clients, TimeSpan.Zero, options.Prime, (c, i, ct) => c % 2 == 0 ? ApiGetAsync(c, i, ct) : ApiPostAsync(c, i, ct), cancellationToken);
            await sampler.DisposeAsync();
            rss.AddRange(sampler.Samples);
        }

        await LoadRunner.RunAsync("warm-up floor", options.Clients, TimeSpan.Zero, options.Prime, (c, i, ct) => c % 2 == 0 ? FloorGetAsync(c, i, ct) : FloorPostAsync(c, i, ct), cancellationToken);
        await TableFloor.DeleteResponsesAsync(tables, target, cancellationToken);
        getTrips = new RoundTrips(); // counted on the warm instance only (the warm-up filled the access cache)
        postTrips = new RoundTrips();

        // A-B-B-A, each half the duration: whatever drifts during the run (Azurite's heap, other load on the machine)
        // weighs on the API and the floor alike. Each POST run starts from the same table (its responses are deleted).
        async Task<(LoadResult Api, LoadResult Floor)> PairAsync(string route, Func<int, long, CancellationToken, Task<bool>> api, Func<int, long, CancellationToken, Task<bool>> direct)
        {
            var first = await PhaseAsync($"{route} (API)", api, sampleWorker: true);
            var second = await PhaseAsync($"{route} (Table floor)", direct, sampleWorker: false);
            var third = await PhaseAsync($"{route} (Table floor)", direct, sampleWorker: false);
            var fourth = await PhaseAsync($"{route} (API)", api, sampleWorker: true);
            return (first.Combine(fourth), second.Combine(third));
        }

        var (apiGet, floorGet) = await PairAsync("GET status_checks", ApiGetAsync, FloorGetAsync);
        var (apiPost, floorPost) = await PairAsync("POST status_check_responses", ApiPostAsync, FloorPostAsync);
        AddPair(table, apiGet, floorGet, getTrips, TableFloor.GetRoundTrips, maxSequential: 3);
        AddPair(table, apiPost, floorPost, postTrips, TableFloor.PostRoundTrips, maxSequential: 4);
        table.Note($"Each route ran API, floor, floor, API for {(options.Duration / 2).TotalSeconds:0.#} s each (after {options.Warmup.TotalSeconds:0} s unmeasured); the {written} responses written were deleted after each run, so every run starts from the same table.");
        foreach (var result in new[] { apiGet, floorGet, apiPost, floorPost })
        {
            table.Note($"CPU per request, {result.Name}: {cpu.PerOperation(result.Name)}.");
        }

        var maxRss = rss.Count == 0 ? double.NaN : rss.Max();
        table.Add("Worker RSS under API load (warm-up + phases), max", ResultTable.MiB(maxRss), $"< {MaxWorkerRssMiB:0} MiB", maxRss < MaxWorkerRssMiB * 1024 * 1024);
        table.Add("Worker RSS under API load, average", ResultTable.MiB(rss.Count == 0 ? double.NaN : rss.Average()) + $" ({rss.Count} samples)");
    }

    private static void AddPair(ResultTable table, LoadResult api, LoadResult floor, RoundTrips trips, (int Sequential, int Total) floorTrips, int maxSequential)
    {
        foreach (var result in new[] { api, floor })
        {
            table.Add($"{result.Name}: throughput", ResultTable.PerSecond(result.PerSecond) + $" ({result.Requests} requests)");
            table.Add($"{result.Name}: p50 / p99", $"{ResultTable.Ms(result.P50Ms)} / {ResultTable.Ms(result.P99Ms)}");
            table.Add($"{result.Name}: errors (non-2xx)", result.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", result.Errors == 0);
        }

        var ratio = api.PerSecond / floor.PerSecond;
        table.Add($"{api.Name} / floor throughput", ResultTable.Percent(ratio), $">= {MinFloorRatio:P0}", ratio >= MinFloorRatio);
        var p99 = api.P99Ms / floor.P99Ms;
        table.Add($"{api.Name} p99 / floor p99", p99.ToString("0.0x", System.Globalization.CultureInfo.InvariantCulture), $"<= {MaxP99OverFloor:0}x", p99 <= MaxP99OverFloor);
        table.Add(
            $"{api.Name}: storage round trips per request, sequential / total (mean, max)",
            trips.Describe(),
            $"mean sequential <= {maxSequential}",
            trips.Requests > 0 && trips.MeanSequential <= maxSequential);
        table.Add($"{floor.Name}: storage round trips per request, sequential / total", $"{floorTrips.Sequential} / {floorTrips.Total}");
    }

    /// <summary>The service's own count of its storage calls per response (X-StatusChecks-Storage-* headers).</summary>
    private sealed class RoundTrips
    {
        private long requests;
        private long sequential;
        private long total;
        private long maxSequential;
        private long maxTotal;

        public long Requests => Interlocked.Read(ref requests);

        /// <summary>The max includes the requests that refill the access cache when its entries expire, and retries.</summary>
        public double MeanSequential => Requests == 0 ? double.NaN : (double)Interlocked.Read(ref sequential) / Requests;

        public void Add(HttpResponseMessage response)
        {
            if (Header(response, "X-StatusChecks-Storage-Round-Trips") is not { } seq || Header(response, "X-StatusChecks-Storage-Calls") is not { } all)
            {
                return;
            }

            Interlocked.Increment(ref requests);
            Interlocked.Add(ref sequential, seq);
            Interlocked.Add(ref total, all);
            Max(ref maxSequential, seq);
            Max(ref maxTotal, all);
        }

        public string Describe() =>
            Requests == 0
                ? "not reported"
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(double)sequential / requests:0.00} / {(double)total / requests:0.00} (max {maxSequential} / {maxTotal}; {requests} requests)");

        private static long? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

        private static void Max(ref long field, long value)
        {
            for (var current = Interlocked.Read(ref field); value > current; current = Interlocked.Read(ref field))
            {
                if (Interlocked.CompareExchange(ref field, value, current) == current)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Each client walks the checks from its own offset, alternating passed and failed.</summary>
    private static (long CheckId, string Status) Rotate(FloorTarget target, int client, long iteration) =>
        (target.CheckIds[(int)((client + iteration) % target.CheckIds.Count)], iteration % 2 == 0 ? "passed" : "failed");

    private static string StatusChecksPath(FloorTarget target) => $"v4/projects/{target.ProjectId}/merge_requests/{target.Iid}/status_checks";
}
