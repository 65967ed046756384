using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// Storage taken away under a steady write load, then given back (same ports and data): the API answers 503 with
/// GitLab's JSON quickly instead of hanging, /health says 503, the same host recovers on its own, and every write
/// it acknowledged — before, during or after the outage — is stored. A service of its own.
/// </summary>
public sealed class StorageOutageUnderLoadTests(ITestOutputHelper output) : IsolatedService
{
    private const int Loops = 4;
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(6);

    private readonly ConcurrentQueue<Outcome> outcomes = new();
    private volatile Phase phase = Phase.Healthy;

    private enum Phase
    {
        Healthy,

        /// <summary>Azurite has exited: every request must be refused.</summary>
        Down,

        /// <summary>Azurite is starting again: either answer.</summary>
        Restarting,

        Restarted,
    }

    [Fact]
    public async Task Writes_StorageStoppedAndRestartedUnderLoad_503QuicklyThenRecoversAndKeepsEveryAcknowledgedWrite()
    {
        var project = await StatusCheckProject.CreateAsync(new GitLabApi(Host));
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        using var health = Host.CreateClient();

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Loops).Select(loop => Task.Run(() => LoadAsync(loop, project, checkId, iid, sha, stop.Token))).ToList();
        try
        {
            await UntilAsync(() => EachLoopHas(Phase.Healthy, ok: true, 5), "every loop to write while storage is up");

            await Azurite.StopAsync();
            phase = Phase.Down;
            var outage = Task.Delay(OutageLength);
            await UntilAsync(() => EachLoopHas(Phase.Down, ok: false, 2), "every loop to be refused while storage is down");
            var clock = Stopwatch.StartNew();
            using var down = await health.GetAsync("health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.IsType<JsonObject>(JsonNode.Parse(await down.Content.ReadAsStringAsync()));
            Assert.True(clock.Elapsed < Quick, $"/health took {clock.Elapsed} with storage down");
            await outage;

            phase = Phase.Restarting;
            await Azurite.StartAgainAsync();
            phase = Phase.Restarted;
            await UntilAsync(() => EachLoopHas(Phase.Restarted, ok: true, 5), "every loop to write again after the restart");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }

        var all = outcomes.ToList();
        foreach (var group in all.GroupBy(o => (o.Phase, o.Kind)).OrderBy(g => g.Key))
        {
            output.WriteLine($"{group.Key.Phase,-9} {group.Key.Kind,-8} {string.Join(", ", group.GroupBy(o => (int)o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x {g.Count()}"))}; slowest {group.Max(o => o.Elapsed).TotalMilliseconds:0} ms");
        }

        Assert.All(all, o => Assert.True(o.Status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{o.Kind} in {o.Phase}: {(int)o.Status} {o.Body}"));
        Assert.All(all, o => Assert.True(o.Elapsed < Quick, $"{o.Kind} in {o.Phase} took {o.Elapsed}"));
        Assert.All(all.Where(o => o.Phase == Phase.Down), o => Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status));
        Assert.All(all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable), o => Assert.Equal("""{"message":"503 Service Unavailable"}""", o.Body));
        Assert.False(Host.Process.HasExited, "the host must recover without a restart");
        using (var up = await health.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }

        // Every acknowledged write is stored: checks through the API, responses (no list route) in their table.
        var listed = await AllChecksAsync(project);
        var createdChecks = all.Where(o => o is { Kind: "check", Status: HttpStatusCode.Created }).ToList();
        Assert.All(createdChecks, o => Assert.True(listed.TryGetValue(o.Id!.Value, out var name) && name == o.Key, $"acknowledged check {o.Key} ({o.Id}) is missing"));
        var storedResponses = await StoredResponseIdsAsync(project.Id, iid);
        var createdResponses = all.Where(o => o is { Kind: "response", Status: HttpStatusCode.Created }).ToList();
        Assert.All(createdResponses, o => Assert.Contains(o.Id!.Value, storedResponses));

        // A 503 promises nothing either way (the write may have landed just before the connection died); reported only.
        var refusedButStored = all.Count(o => o is { Kind: "check", Status: HttpStatusCode.ServiceUnavailable } && listed.ContainsValue(o.Key));
        output.WriteLine($"{createdChecks.Count} acknowledged checks and {createdResponses.Count} acknowledged responses all stored; {refusedButStored} checks answered 503 were stored anyway");
    }

    /// <summary>One writer: alternately creates checks (even loops) or posts responses (odd loops) until stopped.</summary>
    private async Task LoadAsync(int loop, StatusCheckProject project, long checkId, long iid, string sha, CancellationToken stop)
    {
        var creates = loop % 2 == 0;
        while (!stop.IsCancellationRequested)
        {
            var started = phase;
            var key = creates ? StatusCheckProject.NewName() : (outcomes.Count % 3 == 0 ? "failed" : "passed");
            var clock = Stopwatch.StartNew();
            var (status, body, _) = creates
                ? await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, new { name = key, external_url = StatusCheckProject.NewUrl() })
                : await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses", new { sha, external_status_check_id = checkId, status = key });
            long? id = status == HttpStatusCode.Created ? (long)body!["id"]! : null;
            outcomes.Enqueue(new Outcome(loop, creates ? "check" : "response", key, started, status, clock.Elapsed, body?.ToJsonString() ?? "", id));
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private bool EachLoopHas(Phase inPhase, bool ok, int count) =>
        Enumerable.Range(0, Loops).All(loop => outcomes.Count(o => o.Loop == loop && o.Phase == inPhase && (o.Status == HttpStatusCode.Created) == ok) >= count);

    private static async Task UntilAsync(Func<bool> condition, string what) =>
        await Eventually.GetAsync(() => Task.FromResult(condition() ? (object?)true : null), Patience, what);

    private static async Task<Dictionary<long, string>> AllChecksAsync(StatusCheckProject project)
    {
        var checks = new Dictionary<long, string>();
        for (var page = 1; ; page++)
        {
            var items = (await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, $"{project.ChecksPath}?per_page=100&page={page}", null, HttpStatusCode.OK))["items"]!.AsArray();
            foreach (var item in items)
            {
                checks[(long)item!["id"]!] = (string)item["name"]!;
            }

            if (items.Count < 100)
            {
                return checks;
            }
        }
    }

    private async Task<HashSet<long>> StoredResponseIdsAsync(long projectId, long iid)
    {
        // The response history rows: "resp|<iid>|..." in the project's partition of the MergeRequests table.
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient("MergeRequestsV2");
        var (first, end) = ($"resp|{iid:D19}|", $"resp|{iid:D19}|~");
        var ids = new HashSet<long>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {projectId.ToString(System.Globalization.CultureInfo.InvariantCulture)} and RowKey gt {first} and RowKey lt {end}")))
        {
            if (row.GetInt64("Id") is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private sealed record Outcome(int Loop, string Kind, string Key, Phase Phase, HttpStatusCode Status, TimeSpan Elapsed, string Body, long? Id);
}
