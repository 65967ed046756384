using System.Net;
using System.Text.Json.Nodes;

namespace StatusChecks.Testing;

/// <summary>
/// A fresh project for one status-check test: its maintainer and developer, and shortcuts that arrange protected
/// branches, merge requests and checks through the real API (each asserting its success status), and read the
/// delivery log of the notifications they cause.
/// </summary>
public sealed class StatusCheckProject
{
    private StatusCheckProject(GitLabApi api, JsonObject project, HttpClient maintainer, long developerId, string developerToken)
    {
        Api = api;
        Project = project;
        MaintainerClient = maintainer;
        DeveloperId = developerId;
        DeveloperToken = developerToken;
        DeveloperClient = api.As(developerToken);
    }

    public GitLabApi Api { get; }

    /// <summary>The project as created (the API's answer).</summary>
    public JsonObject Project { get; }

    public long Id => Project["id"]!.GetValue<long>();

    public string PathWithNamespace => Project["path_with_namespace"]!.GetValue<string>();

    public HttpClient MaintainerClient { get; }

    public HttpClient DeveloperClient { get; }

    /// <summary>The developer's user id (the actor that notification payloads name).</summary>
    public long DeveloperId { get; }

    /// <summary>The developer's <c>api</c> token (for clients of one's own, e.g. a benchmark's load).</summary>
    public string DeveloperToken { get; }

    public string ChecksPath => $"v4/projects/{Id}/external_status_checks";

    public static async Task<StatusCheckProject> CreateAsync(GitLabApi api)
    {
        var project = await api.CreateProjectAsync();
        var id = project["id"]!.GetValue<long>();
        var maintainer = await api.MemberAsync(id, AccessLevel.Maintainer);
        var (developerId, developerToken) = await api.CreateMemberAsync(id, AccessLevel.Developer);
        return new StatusCheckProject(api, project, maintainer, developerId, developerToken);
    }

    /// <summary>A distinct URL nothing listens on (loopback port 9), so notifications fail fast and stay local.</summary>
    public static string NewUrl() => $"http://127.0.0.1:9/status/{Guid.NewGuid():N}";

    public static string NewName() => "check-" + Guid.NewGuid().ToString("N")[..12];

    public string MergeRequestPath(long iid) => $"v4/projects/{Id}/merge_requests/{iid}";

    public async Task<long> ProtectedBranchAsync(string name) =>
        (await GitLabApi.SendAsync(MaintainerClient, HttpMethod.Post, $"v4/projects/{Id}/protected_branches", new { name }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    /// <summary>Opens an MR as the developer; returns the created MR.</summary>
    public Task<JsonObject> OpenAsync(string sha, string target = "main", string source = "feature", string title = "Add the feature") =>
        GitLabApi.SendAsync(
            DeveloperClient,
            HttpMethod.Post,
            $"v4/projects/{Id}/merge_requests",
            new { source_branch = source, target_branch = target, title, sha },
            HttpStatusCode.Created);

    /// <summary>An open MR from its own source branch into <paramref name="targetBranch"/>; returns its iid and HEAD sha.</summary>
    public async Task<(long Iid, string Sha)> MergeRequestAsync(string targetBranch = "main")
    {
        var sha = GitLabApi.Sha();
        var mr = await OpenAsync(sha, targetBranch, source: "feature-" + Guid.NewGuid().ToString("N")[..8], title: "Change");
        return (mr["iid"]!.GetValue<long>(), sha);
    }

    /// <summary>Changes an MR as the developer (sha, title, target_branch, state_event).</summary>
    public Task<JsonObject> UpdateMergeRequestAsync(long iid, object changes) =>
        GitLabApi.SendAsync(DeveloperClient, HttpMethod.Put, MergeRequestPath(iid), changes, HttpStatusCode.OK);

    /// <summary>A new check (unique name, and a URL nothing listens on, unless given); returns the created object.</summary>
    public Task<JsonObject> CheckAsync(long[]? protectedBranchIds = null, string? sharedSecret = null, string? name = null, string? url = null) =>
        GitLabApi.SendAsync(
            MaintainerClient,
            HttpMethod.Post,
            ChecksPath,
            new { name = name ?? NewName(), external_url = url ?? NewUrl(), shared_secret = sharedSecret, protected_branch_ids = protectedBranchIds ?? [] },
            HttpStatusCode.Created);

    public async Task<long> CheckIdAsync(long[]? protectedBranchIds = null, string? sharedSecret = null, string? name = null, string? url = null) =>
        (await CheckAsync(protectedBranchIds, sharedSecret, name, url))["id"]!.GetValue<long>();

    public string DeliveriesPath(long iid, long checkId) => $"{MergeRequestPath(iid)}/status_checks/{checkId}/deliveries";

    /// <summary>The delivery log (as the maintainer), newest attempt first.</summary>
    public async Task<JsonArray> DeliveriesAsync(long iid, long checkId) =>
        (await GitLabApi.SendAsync(MaintainerClient, HttpMethod.Get, DeliveriesPath(iid, checkId) + "?per_page=100", null, HttpStatusCode.OK))["items"]!.AsArray();

    /// <summary>Waits until the log satisfies <paramref name="condition"/>; returns the whole log.</summary>
    public Task<JsonArray> WaitForDeliveriesAsync(long iid, long checkId, Func<JsonArray, bool> condition, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            async () => await DeliveriesAsync(iid, checkId) is var log && condition(log) ? log : null,
            timeout ?? TimeSpan.FromSeconds(30),
            $"the delivery log of check {checkId} on !{iid}");

    /// <summary>The MR's status checks as id -> status (first page of 100).</summary>
    public async Task<Dictionary<long, string>> StatusesAsync(long iid, HttpClient? client = null)
    {
        var list = await GitLabApi.SendAsync(client ?? DeveloperClient, HttpMethod.Get, MergeRequestPath(iid) + "/status_checks?per_page=100", null, HttpStatusCode.OK);
        return list["items"]!.AsArray().ToDictionary(item => item!["id"]!.GetValue<long>(), item => item!["status"]!.GetValue<string>());
    }

    public Task<JsonObject> RespondAsync(long iid, string sha, long checkId, string? status = "passed", HttpStatusCode expected = HttpStatusCode.Created) =>
        GitLabApi.SendAsync(
            DeveloperClient,
            HttpMethod.Post,
            MergeRequestPath(iid) + "/status_check_responses",
            status is null ? new { sha, external_status_check_id = checkId } : new { sha, external_status_check_id = checkId, status },
            expected);

    public Task<JsonObject> RetryAsync(long iid, long checkId, HttpStatusCode expected = HttpStatusCode.Accepted) =>
        GitLabApi.SendAsync(DeveloperClient, HttpMethod.Post, $"{MergeRequestPath(iid)}/status_checks/{checkId}/retry", null, expected);

    /// <summary>Asserts a check object field by field: exactly GitLab's fields (so never a secret), with their types.</summary>
    public static void AssertCheck(JsonNode? node, long projectId, string name, string url, bool hmac, params long[] branchIds)
    {
        var check = node!.AsObject();
        Assert.Equal(["external_url", "hmac", "id", "name", "project_id", "protected_branches"], check.Select(p => p.Key).Order());
        Assert.True(check["id"]!.GetValue<long>() > 0);
        Assert.Equal(name, check["name"]!.GetValue<string>());
        Assert.Equal(projectId, check["project_id"]!.GetValue<long>());
        Assert.Equal(url, check["external_url"]!.GetValue<string>());
        Assert.Equal(hmac, check["hmac"]!.GetValue<bool>());
        var branches = check["protected_branches"]!.AsArray();
        Assert.Equal(branchIds, branches.Select(b => b!["id"]!.GetValue<long>()));
        foreach (var branch in branches.Select(b => b!.AsObject()))
        {
            Assert.Equal(["code_owner_approval_required", "created_at", "id", "name", "project_id", "updated_at"], branch.Select(p => p.Key).Order());
            Assert.Equal(projectId, branch["project_id"]!.GetValue<long>());
            Assert.False(string.IsNullOrEmpty(branch["name"]!.GetValue<string>()));
            Assert.False(branch["code_owner_approval_required"]!.GetValue<bool>());
            RouteKit.AssertTimestamp(branch["created_at"]);
            RouteKit.AssertTimestamp(branch["updated_at"]);
        }
    }
}
