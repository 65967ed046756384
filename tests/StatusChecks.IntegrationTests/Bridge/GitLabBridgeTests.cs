using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using StatusChecks.IntegrationTests.Notifications;

namespace StatusChecks.IntegrationTests.Bridge;

/// <summary>
/// Its own Azurite and local host (the notification settings: short retry schedule, private networks allowed, so the
/// fake GitLab and the check's sink can live on 127.0.0.1), and a pending timeout short enough to watch.
/// </summary>
public sealed class BridgeFixture : IsolatedService
{
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(6);

    public GitLabApi Api { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(NotificationsFixture.NotificationSettings(allowPrivateNetworks: true))
    {
        ["StatusChecks__PendingTimeout"] = PendingTimeout.ToString(),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Api = new GitLabApi(Host);
    }
}

[CollectionDefinition(Name)]
public sealed class BridgeCollection : ICollectionFixture<BridgeFixture>
{
    public const string Name = "bridge";
}

/// <summary>
/// docs/API.md (The GitLab bridge) end to end over HTTP: GitLab's documented Merge Request Hook arrives at /api/webhooks/gitlab, the real
/// worker mirrors the MR and notifies the check, the check answers through status_check_responses, and the fake GitLab
/// (holding to GitLab's commit status contract) receives the MR head commit's status.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class GitLabBridgeTests(BridgeFixture fixture)
{
    private const string GitLabToken = "glpat-gitlab-side-token-0123456789";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task HookToCommitStatus_EndToEnd()
    {
        var (sha1, sha2) = (GitLabApi.Sha(), GitLabApi.Sha());
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        await using var gitlab = await FakeGitLab.StartAsync(GitLabToken, gitLabProjectId, sha1, sha2);
        await using var sink = await WebhookSink.AnsweringAsync(200);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync(url: sink.Url, name: "Security scan");

        // Link: the GitLab token is never shown, the webhook token only now.
        var link = await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = gitlab.Url, gitlab_project_id = gitLabProjectId, access_token = GitLabToken }, HttpStatusCode.Created);
        var webhookToken = (string)link["webhook_token"]!;
        Assert.DoesNotContain(GitLabToken, link.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(("external-status-checks", false), ((string?)link["status_name"], (bool)link["per_check"]!));
        Assert.EndsWith("/api/webhooks/gitlab", (string?)link["webhook_url"], StringComparison.Ordinal);
        var read = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project), null, HttpStatusCode.OK);
        Assert.Null(read["webhook_token"]);
        Assert.DoesNotContain(GitLabToken, read.ToJsonString(), StringComparison.Ordinal);

        // A bad token: 401 and nothing stored.
        var opened = Hook(gitLabProjectId, iid: 7, "open", "opened", sha1, DateTimeOffset.UtcNow.AddMinutes(-10));
        var (badStatus, badBody) = await PostHookAsync("wrong-" + webhookToken, Guid.NewGuid(), opened);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"message":"401 Unauthorized"}"""), (badStatus, badBody));
        Assert.Empty(await EventRowsAsync(project.Id));

        // The hook: answered at once, mirrored by the queue, the check notified as for an API-created MR.
        var uuid = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, uuid, opened)).Status);
        var notification = Assert.Single(await sink.WaitForAsync(1));
        var payload = JsonNode.Parse(notification.Body)!;
        Assert.Equal(("open", 7L, sha1), ((string?)payload["object_attributes"]!["action"], (long)payload["object_attributes"]!["iid"]!, (string?)payload["object_attributes"]!["last_commit"]!["id"]));
        var mr = await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Get, project.MergeRequestPath(7), null, HttpStatusCode.OK);
        Assert.Equal(("MS-Viewport", "ms-viewport", "master", sha1), ((string?)mr["title"], (string?)mr["source_branch"], (string?)mr["target_branch"], (string?)mr["sha"]));

        // GitLab sees pending for the head commit, then success once the check answers.
        var pending = await gitlab.WaitForAsync(s => s.Sha == sha1 && s.State == "pending", "pending for the first commit");
        Assert.Equal(("external-status-checks", "ms-viewport", "PRIVATE-TOKEN"), (pending.Name, pending.Ref, pending.Auth));
        Assert.Equal("0 of 1 external check passed, 1 pending", pending.Description);
        Assert.EndsWith($"/api/v4/projects/{project.Id}/merge_requests/7/status_checks", pending.TargetUrl, StringComparison.Ordinal);
        await project.RespondAsync(7, sha1, checkId, "passed");
        var success = await gitlab.WaitForAsync(s => s.Sha == sha1 && s.State == "success", "success for the first commit");
        Assert.Equal("1 of 1 external check passed", success.Description);

        // A replayed event UUID changes nothing.
        var posted = gitlab.Statuses.Count;
        Assert.Equal(HttpStatusCode.OK, (await PostHookAsync(webhookToken, uuid, opened)).Status);
        await sink.AssertNoMoreThanAsync(1, Quiet);
        Assert.Equal(posted, gitlab.Statuses.Count);

        // A second commit: the check is notified again and GitLab gets pending for the new sha.
        var pushed = Hook(gitLabProjectId, iid: 7, "update", "opened", sha2, DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, Guid.NewGuid(), pushed)).Status);
        var update = (await sink.WaitForAsync(2))[1];
        Assert.Equal(sha2, (string?)JsonNode.Parse(update.Body)!["object_attributes"]!["last_commit"]!["id"]);
        await gitlab.WaitForAsync(s => s.Sha == sha2 && s.State == "pending", "pending for the second commit");

        // An older event arriving late changes nothing: the MR stays at the second commit.
        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, Guid.NewGuid(), Hook(gitLabProjectId, 7, "update", "opened", sha1, DateTimeOffset.UtcNow.AddMinutes(-8)))).Status);
        await sink.AssertNoMoreThanAsync(2, Quiet);
        mr = await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Get, project.MergeRequestPath(7), null, HttpStatusCode.OK);
        Assert.Equal(sha2, (string?)mr["sha"]);

        // Mirrored iids may be sparse: the list counts them. The API does not create MRs in a linked project.
        var (listStatus, list, response) = await GitLabApi.CallAsync(project.DeveloperClient, HttpMethod.Get, $"v4/projects/{project.Id}/merge_requests");
        Assert.Equal((HttpStatusCode.OK, "1", 7L), (listStatus, response.Headers.GetValues("X-Total").Single(), (long)list!.AsArray().Single()!["iid"]!));
        var (createStatus, createBody, _) = await GitLabApi.CallAsync(
            project.DeveloperClient, HttpMethod.Post, $"v4/projects/{project.Id}/merge_requests", new { source_branch = "x", target_branch = "main", title = "t", sha = GitLabApi.Sha() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, createStatus);
        Assert.Contains("linked to GitLab", createBody!.ToJsonString(), StringComparison.Ordinal);

        // The log of posts to GitLab.
        var log = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project) + "/deliveries?per_page=100", null, HttpStatusCode.OK);
        Assert.Contains(log["items"]!.AsArray(), entry => (string?)entry!["sha"] == sha1 && (string?)entry["state"] == "success" && (string?)entry["status"] == "succeeded" && (int?)entry["response_code"] == 201);
    }

    [Fact]
    public async Task DeadGitLab_RetriesInTheLog_StateSentOnceItIsBack()
    {
        var sha = GitLabApi.Sha();
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var checkId = await project.CheckIdAsync();
        var link = await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = "http://127.0.0.1:9", gitlab_project_id = gitLabProjectId, access_token = GitLabToken }, HttpStatusCode.Created);
        var webhookToken = (string)link["webhook_token"]!;

        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, Guid.NewGuid(), Hook(gitLabProjectId, 3, "open", "opened", sha, DateTimeOffset.UtcNow))).Status);

        // Schedule 1 s, 2 s: three attempts, the last one given up; every one of them in the log, newest first.
        var log = await Eventually.GetAsync(
            async () => await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project) + "/deliveries?per_page=100", null, HttpStatusCode.OK) is var page
                        && page["items"]!.AsArray().Where(entry => (string?)entry!["state"] == "pending").ToList() is var pending
                        && pending.Any(entry => (string?)entry!["status"] == "failed") ? pending : null,
            TimeSpan.FromSeconds(30),
            "the pending state given up in the log");
        Assert.Equal(["failed", "retrying", "retrying"], log.Select(entry => (string)entry!["status"]!));
        Assert.Equal([3, 2, 1], log.Select(entry => (int)entry!["attempt"]!));
        Assert.All(log, entry => Assert.Equal((sha, (int?)null), ((string)entry!["sha"]!, (int?)entry["response_code"])));

        // GitLab is back (the link now points at it): the next change sends the state, nothing was lost.
        await using var gitlab = await FakeGitLab.StartAsync(GitLabToken, gitLabProjectId, sha);
        await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = gitlab.Url }, HttpStatusCode.OK);
        await project.RespondAsync(3, sha, checkId, "passed");
        await gitlab.WaitForAsync(s => s.Sha == sha && s.State == "success", "success once GitLab is back");
    }

    [Fact]
    public async Task CheckNeverAnswers_TimeoutReportedAsFailed()
    {
        var sha = GitLabApi.Sha();
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        await using var gitlab = await FakeGitLab.StartAsync(GitLabToken, gitLabProjectId, sha);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        await project.CheckIdAsync();
        var webhookToken = await LinkAsync(project, gitlab);

        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, Guid.NewGuid(), Hook(gitLabProjectId, 2, "open", "opened", sha, DateTimeOffset.UtcNow))).Status);

        await gitlab.WaitForAsync(s => s.State == "pending", "pending");
        var failed = await gitlab.WaitForAsync(s => s.State == "failed", "failed once the check timed out", BridgeFixture.PendingTimeout + TimeSpan.FromSeconds(30));
        Assert.Equal((sha, "0 of 1 external check passed, 1 failed"), (failed.Sha, failed.Description));
    }

    [Fact]
    public async Task PerCheck_OneStatusPerCheck_RemovedCheckReleased()
    {
        var sha = GitLabApi.Sha();
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        await using var gitlab = await FakeGitLab.StartAsync(GitLabToken, gitLabProjectId, sha);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var security = await project.CheckIdAsync(name: "Security");
        var licences = await project.CheckIdAsync(name: "Licences");
        var webhookToken = await LinkAsync(project, gitlab, perCheck: true);

        Assert.Equal(HttpStatusCode.Created, (await PostHookAsync(webhookToken, Guid.NewGuid(), Hook(gitLabProjectId, 4, "open", "opened", sha, DateTimeOffset.UtcNow))).Status);
        await gitlab.WaitForAsync(s => s.Name == "Security" && s.State == "pending", "Security pending");
        await gitlab.WaitForAsync(s => s.Name == "Licences" && s.State == "pending", "Licences pending");

        await project.RespondAsync(4, sha, security, "passed");
        await gitlab.WaitForAsync(s => s.Name == "Security" && s.State == "success", "Security success");
        await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Delete, $"{project.ChecksPath}/{licences}", null, HttpStatusCode.NoContent);
        var released = await gitlab.WaitForAsync(s => s.Name == "Licences" && s.State == "success", "Licences released");
        Assert.Equal("No longer applies to this merge request", released.Description);
    }

    [Fact]
    public async Task Link_ValidationAndPermissions()
    {
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var developer = project.DeveloperClient;
        Assert.Equal(HttpStatusCode.Forbidden, (await GitLabApi.CallAsync(developer, HttpMethod.Put, LinkPath(project), new { gitlab_url = "https://gitlab.example.com", gitlab_project_id = 1, access_token = "x" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project))).Status);

        var (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_project_id = 1, access_token = "x" });
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"gitlab_url is missing"}"""), (status, body!.ToJsonString()));
        (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = "ftp://gitlab.example.com", gitlab_project_id = 1, access_token = "x" });
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"gitlab_url is invalid"}"""), (status, body!.ToJsonString()));
        (status, body, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = "https://gitlab.example.com", gitlab_project_id = 0, access_token = "x" });
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"gitlab_project_id is invalid"}"""), (status, body!.ToJsonString()));
        Assert.Equal(HttpStatusCode.NotFound, (await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project))).Status);

        var link = await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Put, LinkPath(project),
            new { gitlab_url = "https://gitlab.example.com/", gitlab_project_id = 5, access_token = "glpat-x", webhook_token = "my-own-secret", status_name = "compliance", per_check = true },
            HttpStatusCode.Created);
        Assert.Equal(("https://gitlab.example.com", "my-own-secret", "compliance", true), ((string?)link["gitlab_url"], (string?)link["webhook_token"], (string?)link["status_name"], (bool)link["per_check"]!));
        // access_token is the GitLab token here, never the caller's: a Bearer caller sending it is still authenticated by the header.
        var (userId, bearerToken) = await fixture.Api.CreateUserAsync();
        await GitLabApi.SendAsync(fixture.Api.Admin, HttpMethod.Post, $"v4/projects/{project.Id}/members", new { user_id = userId, access_level = 40 }, HttpStatusCode.Created);
        using var bearer = fixture.Host.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        var changed = await GitLabApi.SendAsync(bearer, HttpMethod.Put, LinkPath(project), new { access_token = "glpat-rotated", per_check = false }, HttpStatusCode.OK);
        Assert.Equal((false, (string?)null), ((bool)changed["per_check"]!, (string?)changed["webhook_token"]));
        Assert.Equal(HttpStatusCode.NoContent, (await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Delete, LinkPath(project))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, LinkPath(project))).Status);
        // Unlinked: the token no longer opens the webhook.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostHookAsync("my-own-secret", Guid.NewGuid(), Hook(5, 1, "open", "opened", GitLabApi.Sha(), DateTimeOffset.UtcNow))).Status);
    }

    [Fact]
    public async Task Webhook_HostileRequests_4xxAndNothingStored()
    {
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var project = await StatusCheckProject.CreateAsync(fixture.Api);
        var link = await GitLabApi.SendAsync(
            project.MaintainerClient, HttpMethod.Put, LinkPath(project), new { gitlab_url = "http://127.0.0.1:9", gitlab_project_id = gitLabProjectId, access_token = GitLabToken }, HttpStatusCode.Created);
        var token = (string)link["webhook_token"]!;
        var valid = Hook(gitLabProjectId, 1, "open", "opened", GitLabApi.Sha(), DateTimeOffset.UtcNow).ToJsonString();
        var noCommit = Hook(gitLabProjectId, 1, "open", "opened", GitLabApi.Sha(), DateTimeOffset.UtcNow);
        noCommit["object_attributes"]!.AsObject().Remove("last_commit");
        var textId = Hook(gitLabProjectId, 1, "open", "opened", GitLabApi.Sha(), DateTimeOffset.UtcNow);
        textId["project"]!["id"] = gitLabProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        (string Case, string? Token, string? Event, string? Uuid, string Body, HttpStatusCode Status)[] cases =
        [
            ("no token", null, "Merge Request Hook", Guid.NewGuid().ToString(), valid, HttpStatusCode.Unauthorized),
            ("PRIVATE-TOKEN is not the webhook's", null, "Merge Request Hook", Guid.NewGuid().ToString(), valid, HttpStatusCode.Unauthorized),
            ("not JSON", token, "Merge Request Hook", Guid.NewGuid().ToString(), "{not json", HttpStatusCode.Unauthorized),
            ("project id as text", token, "Merge Request Hook", Guid.NewGuid().ToString(), textId.ToJsonString(), HttpStatusCode.Unauthorized),
            ("no UUID", token, "Merge Request Hook", null, valid, HttpStatusCode.BadRequest),
            ("UUID not a UUID", token, "Merge Request Hook", "' OR 1=1 --", valid, HttpStatusCode.BadRequest),
            ("no last_commit", token, "Merge Request Hook", Guid.NewGuid().ToString(), noCommit.ToJsonString(), HttpStatusCode.BadRequest),
            ("another event", token, "Push Hook", Guid.NewGuid().ToString(), valid, HttpStatusCode.OK),
        ];
        using var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", fixture.Host.AdminToken);
        foreach (var (name, hookToken, eventName, uuid, body, expected) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/gitlab") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            AddHeader(request, "X-Gitlab-Token", hookToken);
            AddHeader(request, "X-Gitlab-Event", eventName);
            AddHeader(request, "X-Gitlab-Event-UUID", uuid);
            var response = await GitLabApi.CallAsync(client, request);
            Assert.True(response.Status == expected, $"{name}: {(int)response.Status} {response.Text}");
            Assert.Equal("application/json", response.ContentType);
        }

        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "webhooks/gitlab") { Content = new ByteArrayContent(new byte[(1024 * 1024) + 1]) };
        AddHeader(tooLarge, "X-Gitlab-Token", token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await GitLabApi.CallAsync(client, tooLarge)).Status);

        Assert.Empty(await EventRowsAsync(project.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, project.MergeRequestPath(1))).Status);
    }

    private static void AddHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static string LinkPath(StatusCheckProject project) => $"v4/projects/{project.Id}/gitlab_link";

    /// <summary>Links the project to the fake GitLab; returns the webhook token.</summary>
    private static async Task<string> LinkAsync(StatusCheckProject project, FakeGitLab gitlab, bool perCheck = false) =>
        (string)(await GitLabApi.SendAsync(
            project.MaintainerClient,
            HttpMethod.Put,
            LinkPath(project),
            new { gitlab_url = gitlab.Url, gitlab_project_id = gitlab.ProjectId, access_token = gitlab.AccessToken, per_check = perCheck },
            HttpStatusCode.Created))["webhook_token"]!;

    /// <summary>GitLab's documented Merge Request Hook example with the values the case needs.</summary>
    internal static JsonObject Hook(long gitLabProjectId, long iid, string action, string state, string sha, DateTimeOffset updatedAt)
    {
        var hook = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bridge", "Fixtures", "gitlab-merge-request-hook.json")))!.AsObject();
        hook["project"]!["id"] = gitLabProjectId;
        var attributes = hook["object_attributes"]!;
        attributes["iid"] = iid;
        attributes["action"] = action;
        attributes["state"] = state;
        attributes["last_commit"]!["id"] = sha;
        attributes["updated_at"] = updatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        return hook;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostHookAsync(string token, Guid uuid, JsonObject hook)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, "webhooks/gitlab"))
        {
            Content = new StringContent(hook.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Gitlab-Token", token);
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        request.Headers.Add("X-Gitlab-Event-UUID", uuid.ToString());
        var response = await GitLabApi.CallAsync(client, request);
        return (response.Status, response.Text);
    }

    private async Task<List<Azure.Data.Tables.TableEntity>> EventRowsAsync(long projectId)
    {
        var table = fixture.Tables.GetTableClient("GitLabBridge");
        await table.CreateIfNotExistsAsync();
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == $"events-{projectId}"))
        {
            rows.Add(row);
        }

        return rows;
    }
}
