using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StatusChecks.IntegrationTests.Api;

/// <summary>
/// A fresh project for one status-check test: its maintainer and developer, and shortcuts that arrange protected
/// branches, merge requests and checks through the real API (each asserting its success status).
/// </summary>
internal sealed partial class StatusCheckProject
{
    public const int Guest = 10;
    public const int Reporter = 20;
    public const int Developer = 30;
    public const int Maintainer = 40;
    public const int Owner = 50;

    private StatusCheckProject(GitLabApi api, long id, string pathWithNamespace, HttpClient maintainer, HttpClient developer)
    {
        Api = api;
        Id = id;
        PathWithNamespace = pathWithNamespace;
        MaintainerClient = maintainer;
        DeveloperClient = developer;
    }

    public GitLabApi Api { get; }

    public long Id { get; }

    public string PathWithNamespace { get; }

    public HttpClient MaintainerClient { get; }

    public HttpClient DeveloperClient { get; }

    public string ChecksPath => $"v4/projects/{Id}/external_status_checks";

    public static async Task<StatusCheckProject> CreateAsync(GitLabApi api)
    {
        var project = await api.CreateProjectAsync();
        var id = project["id"]!.GetValue<long>();
        return new StatusCheckProject(
            api, id, project["path_with_namespace"]!.GetValue<string>(), await api.MemberAsync(id, Maintainer), await api.MemberAsync(id, Developer));
    }

    /// <summary>A distinct URL nothing listens on (loopback port 9), so notifications fail fast and stay local.</summary>
    public static string NewUrl() => $"http://127.0.0.1:9/status/{Guid.NewGuid():N}";

    public static string NewName() => "check-" + Guid.NewGuid().ToString("N")[..12];

    public string MergeRequestPath(long iid) => $"v4/projects/{Id}/merge_requests/{iid}";

    public async Task<long> ProtectedBranchAsync(string name) =>
        (await GitLabApi.SendAsync(MaintainerClient, HttpMethod.Post, $"v4/projects/{Id}/protected_branches", new { name }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    /// <summary>An open MR into <paramref name="targetBranch"/>; returns its iid and HEAD sha.</summary>
    public async Task<(long Iid, string Sha)> MergeRequestAsync(string targetBranch = "main")
    {
        var sha = GitLabApi.Sha();
        var mr = await GitLabApi.SendAsync(
            DeveloperClient,
            HttpMethod.Post,
            $"v4/projects/{Id}/merge_requests",
            new { source_branch = "feature-" + Guid.NewGuid().ToString("N")[..8], target_branch = targetBranch, title = "Change", sha },
            HttpStatusCode.Created);
        return (mr["iid"]!.GetValue<long>(), sha);
    }

    /// <summary>A new check (unique name and URL unless given); returns the created object.</summary>
    public Task<JsonObject> CheckAsync(long[]? protectedBranchIds = null, string? sharedSecret = null, string? name = null) =>
        GitLabApi.SendAsync(
            MaintainerClient,
            HttpMethod.Post,
            ChecksPath,
            new { name = name ?? NewName(), external_url = NewUrl(), shared_secret = sharedSecret, protected_branch_ids = protectedBranchIds ?? [] },
            HttpStatusCode.Created);

    public async Task<long> CheckIdAsync(long[]? protectedBranchIds = null) => (await CheckAsync(protectedBranchIds))["id"]!.GetValue<long>();

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

    /// <summary>Sends any content (form, raw text, none) and returns status and body text.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> RawAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts GitLab's timestamp format: UTC with milliseconds.</summary>
    public static void AssertTimestamp(JsonNode? node) =>
        Assert.Matches(Timestamp(), node!.GetValue<string>());

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
            AssertTimestamp(branch["created_at"]);
            AssertTimestamp(branch["updated_at"]);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Timestamp();
}
