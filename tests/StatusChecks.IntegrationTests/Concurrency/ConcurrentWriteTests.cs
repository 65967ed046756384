using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Concurrency;

/// <summary>
/// Parallel writes to one check and one MR through the real stack. The service's own records are the witnesses:
/// the check's audit rows (written in the same transaction as each change, in commit order) and the stored
/// responses. Every acknowledged write must be there exactly once, every refused one absent, and the final state
/// must be what replaying them in that order gives.
/// </summary>
[Collection(ConcurrencyCollection.Name)]
public sealed class ConcurrentWriteTests(ServiceFixture service, ITestOutputHelper output)
{
    private static readonly HttpStatusCode[] EditOutcomes = [HttpStatusCode.OK, HttpStatusCode.Conflict];
    private readonly GitLabApi api = new(service.Host);

    [Fact]
    public async Task EditsAndResponses_ParallelOnOneCheckAndMergeRequest_OneSerialOrderNoLostWrites()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        // Every pattern matches the MR's target, so no edit stops (or newly starts) the check applying to it.
        long[] branches = [await project.ProtectedBranchAsync("main"), await project.ProtectedBranchAsync("ma*"), await project.ProtectedBranchAsync("*")];
        var created = await project.CheckAsync();
        var checkId = (long)created["id"]!;
        var (iid, sha) = await project.MergeRequestAsync("main");
        var initial = CheckState.From(created);

        var edits = Enumerable.Range(0, 24).Select(i => Edit.Make(i, branches)).ToList();
        var statuses = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? "failed" : "passed").ToList();
        // Both lists are started before either is awaited, so edits and responses interleave.
        var editTasks = edits.Select(edit => GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, $"{project.ChecksPath}/{checkId}", edit.Body)).ToList();
        var responseTasks = statuses.Select(status => GitLabApi.CallAsync(
            project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses", new { sha, external_status_check_id = checkId, status })).ToList();
        var editResults = await Task.WhenAll(editTasks);
        var responseResults = await Task.WhenAll(responseTasks);
        output.WriteLine($"edits: {Tally(editResults)}; responses: {Tally(responseResults)}");

        // Edits: 200 or an honest 409, nothing else; each 200 carries the state its own write produced.
        Assert.All(editResults, r => Assert.True(EditOutcomes.Contains(r.Status), $"edit answered {(int)r.Status} {r.Body?.ToJsonString()}"));
        Assert.All(editResults.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Equal("""{"message":"The resource was changed concurrently; try again"}""", r.Body!.ToJsonString()));
        var acknowledged = edits.Zip(editResults).Where(pair => pair.Second.Status == HttpStatusCode.OK).Select(pair => (Edit: pair.First, State: CheckState.From(pair.Second.Body!))).ToList();
        var audit = await AuditAsync(project.Id, checkId, "external_status_check.update");
        Assert.Equal(acknowledged.Count, audit.Count); // no lost and no phantom writes

        output.WriteLine($"initial {initial}");
        output.WriteLine(string.Join(Environment.NewLine, acknowledged.Select(a => $"answered {a.State} to {a.Edit}")));
        output.WriteLine(string.Join(Environment.NewLine, audit.Select(row => $"committed {row}")));

        // Replay the audit (commit order): each row is exactly one acknowledged edit applied to the row before.
        var state = initial;
        var unused = acknowledged.ToList();
        foreach (var row in audit)
        {
            var match = unused.FindIndex(a => a.State == row && a.Edit.ApplyTo(state) == row);
            Assert.True(match >= 0, $"audit row {row} is no acknowledged edit applied to {state}");
            unused.RemoveAt(match);
            state = row;
        }

        var listed = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK);
        Assert.Equal(state, CheckState.From(Assert.Single(listed["items"]!.AsArray())!));

        // Responses: every 201 stored once (nothing else stored), and the MR shows the newest one's status.
        Assert.All(responseResults, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"response answered {(int)r.Status} {r.Body?.ToJsonString()}"));
        var acknowledgedIds = responseResults.Where(r => r.Status == HttpStatusCode.Created).Select(r => (long)r.Body!["id"]!).Order().ToList();
        var stored = await ResponsesAsync(project.Id, iid, checkId);
        Assert.Equal(acknowledgedIds, stored.Select(row => row.GetInt64("Id")!.Value).Order());
        var newest = stored.Max(row => row.GetDateTimeOffset("CreatedAt")!.Value);
        var newestStatuses = stored.Where(row => row.GetDateTimeOffset("CreatedAt") == newest).Select(row => row.GetString("Status")).ToList();
        var shown = (await project.StatusesAsync(iid))[checkId];
        Assert.Contains(shown, newestStatuses);
        output.WriteLine($"{audit.Count} edits replayed in commit order; {stored.Count} responses stored, newest {newest:O} -> {shown}");
    }

    [Fact]
    public async Task Renames_ParallelBetweenTwoChecksToSharedNames_NamesStayUniqueAndFreedNamesAreReusable()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = (long)(await project.CheckAsync())["id"]!;
        var second = (long)(await project.CheckAsync())["id"]!;
        var pool = Enumerable.Range(0, 3).Select(_ => StatusCheckProject.NewName()).ToList();

        var renames = Enumerable.Range(0, 30).Select(i => (CheckId: i % 2 == 0 ? first : second, Name: pool[i % pool.Count])).ToList();
        var results = await Task.WhenAll(renames.Select(r => GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, $"{project.ChecksPath}/{r.CheckId}", new { name = r.Name })));
        output.WriteLine($"renames: {Tally(results)}");

        foreach (var result in results.Where(r => r.Status != HttpStatusCode.OK))
        {
            Assert.True(
                result.Status == HttpStatusCode.Conflict || (result.Status == HttpStatusCode.UnprocessableEntity && result.Body!.ToJsonString() == """{"message":["Name has already been taken"]}"""),
                $"rename answered {(int)result.Status} {result.Body?.ToJsonString()}");
        }

        var listed = (await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray();
        var names = listed.ToDictionary(item => (long)item!["id"]!, item => (string)item!["name"]!);
        Assert.NotEqual(names[first], names[second]);
        foreach (var checkId in new[] { first, second })
        {
            var oks = renames.Zip(results).Count(pair => pair.First.CheckId == checkId && pair.Second.Status == HttpStatusCode.OK);
            var audit = await AuditAsync(project.Id, checkId, "external_status_check.update");
            Assert.Equal(oks, audit.Count);
            if (audit.Count > 0)
            {
                Assert.Equal(audit[^1].Name, names[checkId]); // the last committed rename is the name
            }
        }

        // Exactly one name index row per check: a rename that lost a race left no stale reservation behind...
        var indexRows = await RowsAsync("StatusChecks", project.Id.ToString(), "name|");
        Assert.Equal(2, indexRows.Count);

        // ...so every pool name not in use now can be taken by a new check.
        foreach (var free in pool.Except(names.Values))
        {
            await project.CheckAsync(name: free);
        }
    }

    [Fact]
    public async Task EditsAndDelete_ParallelOnOneCheck_EveryAcknowledgedEditPrecedesTheDeleteAndLaterOnesAre404()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var path = $"{project.ChecksPath}/{checkId}";

        var edits = Enumerable.Range(0, 20).Select(_ => GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, path, new { name = StatusCheckProject.NewName() })).ToList();
        var delete = GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Delete, path);
        var results = await Task.WhenAll(edits);
        var deleted = await delete;
        output.WriteLine($"edits: {Tally(results)}; delete: {(int)deleted.Status}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        foreach (var (status, body, _) in results.Where(r => r.Status != HttpStatusCode.OK))
        {
            Assert.True(
                (status, body?.ToJsonString()) is (HttpStatusCode.NotFound, """{"message":"404 Not found"}""") or (HttpStatusCode.Conflict, _),
                $"edit answered {(int)status} {body?.ToJsonString()}");
        }

        // In commit order: the acknowledged renames (each exactly once, as answered), then the delete, then nothing.
        var rows = (await RowsAsync("StatusChecks", project.Id.ToString(), "audit|")).Where(row => row.GetInt64("SubjectId") == checkId).ToList();
        Assert.Equal(["external_status_check.create", .. results.Where(r => r.Status == HttpStatusCode.OK).Select(_ => "external_status_check.update"), "external_status_check.delete"],
            rows.Select(row => row.GetString("Action")));
        Assert.Equal(
            results.Where(r => r.Status == HttpStatusCode.OK).Select(r => (string)r.Body!["name"]!).Order(),
            rows.Where(row => row.GetString("Action") == "external_status_check.update").Select(row => (string)JsonNode.Parse(row.GetString("Details"))!["name"]!).Order());
        Assert.Empty((await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    private static string Tally(IEnumerable<ApiResponse> results) =>
        string.Join(", ", results.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x {g.Count()}"));

    /// <summary>The check's audit rows of one action, in commit order (the row key starts with the commit's ticks).</summary>
    private async Task<List<CheckState>> AuditAsync(long projectId, long checkId, string action) =>
        (await RowsAsync("StatusChecks", projectId.ToString(), "audit|"))
            .Where(row => row.GetInt64("SubjectId") == checkId && row.GetString("Action") == action)
            .Select(row => CheckState.From(JsonNode.Parse(row.GetString("Details"))!))
            .ToList();

    private async Task<List<TableEntity>> ResponsesAsync(long projectId, long iid, long checkId) =>
        (await RowsAsync("MergeRequestsV2", projectId.ToString(), $"resp|{iid:D19}|")).Where(row => row.GetInt64("CheckId") == checkId).ToList();

    /// <summary>Rows of one partition whose row key starts with <paramref name="prefix"/>, in key order.</summary>
    private async Task<List<TableEntity>> RowsAsync(string table, string partition, string prefix)
    {
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {end}");
        var rows = new List<TableEntity>();
        await foreach (var row in service.Tables.GetTableClient(table).QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>What an edit can change, as compared: branch ids as a sorted list.</summary>
    private sealed record CheckState(string Name, string Url, string Branches)
    {
        /// <summary>From an API check (protected_branches objects) or an audit row (protected_branch_ids).</summary>
        public static CheckState From(JsonNode node) => new(
            (string)node["name"]!,
            (string)node["external_url"]!,
            string.Join(',', (node["protected_branches"]?.AsArray().Select(b => (long)b!["id"]!) ?? node["protected_branch_ids"]!.AsArray().Select(id => (long)id!)).Order()));
    }

    /// <summary>One PUT: some of name, URL and branches, each value unique to the edit.</summary>
    private sealed record Edit(string? Name, string? Url, long[]? Branches)
    {
        public object Body => (Name, Url, Branches) switch
        {
            (not null, null, null) => new { name = Name },
            (null, not null, null) => new { external_url = Url },
            (null, null, not null) => new { protected_branch_ids = Branches },
            _ => new { name = Name, external_url = Url, protected_branch_ids = Branches },
        };

        public static Edit Make(int i, long[] branches)
        {
            long[][] subsets = [[branches[0]], [branches[1]], [branches[2]], [branches[0], branches[1]], [branches[1], branches[2]], [], [.. branches]];
            var name = StatusCheckProject.NewName();
            var url = StatusCheckProject.NewUrl();
            var subset = subsets[i % subsets.Length];
            return (i % 4) switch
            {
                0 => new Edit(name, null, null),
                1 => new Edit(null, url, null),
                2 => new Edit(null, null, subset),
                _ => new Edit(name, url, subset),
            };
        }

        public override string ToString() => $"PUT name={Name ?? "-"} url={Url ?? "-"} branches={(Branches is null ? "-" : string.Join(',', Branches))}";

        public CheckState ApplyTo(CheckState before) =>
            new(Name ?? before.Name, Url ?? before.Url, Branches is null ? before.Branches : string.Join(',', Branches.Order()));
    }
}
