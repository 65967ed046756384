using System.Net;
using System.Text.Json.Nodes;
using StatusChecks.IntegrationTests.Api;

namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// A fresh project for one notification test, arranged through the real API: a maintainer and a developer (whose
/// actions the payloads name), checks pointing at sinks, merge requests and their changes.
/// </summary>
internal sealed class NotificationProject
{
    private NotificationProject(GitLabApi api, JsonObject project, HttpClient maintainer, HttpClient developer, long developerId)
    {
        Api = api;
        Project = project;
        Maintainer = maintainer;
        Developer = developer;
        DeveloperId = developerId;
    }

    public GitLabApi Api { get; }

    public JsonObject Project { get; }

    public long Id => Project["id"]!.GetValue<long>();

    public HttpClient Maintainer { get; }

    public HttpClient Developer { get; }

    public long DeveloperId { get; }

    public static async Task<NotificationProject> CreateAsync(GitLabApi api)
    {
        var project = await api.CreateProjectAsync();
        var id = project["id"]!.GetValue<long>();
        var maintainer = await api.MemberAsync(id, 40);
        var (developerId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{id}/members", new { user_id = developerId, access_level = 30 }, HttpStatusCode.Created);
        return new NotificationProject(api, project, maintainer, api.As(token), developerId);
    }

    public async Task<long> CheckAsync(string url, string? secret = null, long[]? branchIds = null, string? name = null) =>
        (await GitLabApi.SendAsync(
            Maintainer,
            HttpMethod.Post,
            $"v4/projects/{Id}/external_status_checks",
            new { name = name ?? "check-" + Guid.NewGuid().ToString("N")[..8], external_url = url, shared_secret = secret, protected_branch_ids = branchIds ?? [] },
            HttpStatusCode.Created))["id"]!.GetValue<long>();

    public async Task<long> ProtectedBranchAsync(string name) =>
        (await GitLabApi.SendAsync(Maintainer, HttpMethod.Post, $"v4/projects/{Id}/protected_branches", new { name }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    /// <summary>Opens an MR (as the developer); returns the created MR.</summary>
    public Task<JsonObject> OpenAsync(string sha, string target = "main") =>
        GitLabApi.SendAsync(
            Developer,
            HttpMethod.Post,
            $"v4/projects/{Id}/merge_requests",
            new { source_branch = "feature", target_branch = target, title = "Add the feature", sha },
            HttpStatusCode.Created);

    public Task<JsonObject> UpdateAsync(long iid, object changes) =>
        GitLabApi.SendAsync(Developer, HttpMethod.Put, $"v4/projects/{Id}/merge_requests/{iid}", changes, HttpStatusCode.OK);

    public string DeliveriesPath(long iid, long checkId) => $"v4/projects/{Id}/merge_requests/{iid}/status_checks/{checkId}/deliveries";

    /// <summary>The delivery log (as the maintainer), newest attempt first.</summary>
    public async Task<JsonArray> DeliveriesAsync(long iid, long checkId) =>
        (await GitLabApi.SendAsync(Maintainer, HttpMethod.Get, DeliveriesPath(iid, checkId) + "?per_page=100", null, HttpStatusCode.OK))["items"]!.AsArray();

    /// <summary>Waits until the log holds an attempt matching <paramref name="condition"/>; returns the whole log.</summary>
    public Task<JsonArray> WaitForDeliveriesAsync(long iid, long checkId, Func<JsonArray, bool> condition, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            async () => await DeliveriesAsync(iid, checkId) is var log && condition(log) ? log : null,
            timeout ?? TimeSpan.FromSeconds(30),
            $"the delivery log of check {checkId} on !{iid}");
}
