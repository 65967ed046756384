using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using StatusChecks.IntegrationTests.Bridge;

namespace StatusChecks.IntegrationTests.Contract;

/// <summary>
/// The OpenAPI document the service serves (issue 13 item 6) against the service itself: every route is driven once
/// to success, and to its usual refusals, over real HTTP, and each answer must be one the document declares (status,
/// headers, body schema).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenApiContractTests(ServiceFixture service)
{
    private static readonly string[] ApiScope = ["api"];

    private readonly GitLabApi api = new(service.Host);

    [Fact]
    public async Task OpenApiJson_WithoutAToken_IsTheDocumentAsJson()
    {
        var response = await GitLabApi.CallAsync(api.Anonymous, HttpMethod.Get, "v4/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        var document = JsonNode.Parse(response.Text)!;
        Assert.StartsWith("3.1", (string?)document["openapi"], StringComparison.Ordinal);
        Assert.NotNull(document["paths"]!["/v4/projects/{id}/external_status_checks"]!["post"]);
        Assert.True(
            response.Text == File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "openapi.json")).ReplaceLineEndings("\n"),
            "The served document differs from docs/openapi.json (see README, Routes, to regenerate it).");

        // A token is not needed, and a bad one is not refused: the document is public.
        var withGarbageToken = await GitLabApi.CallAsync(api.As("glpat-" + RouteKit.Unique()), HttpMethod.Get, "v4/openapi.json");
        Assert.Equal(HttpStatusCode.OK, withGarbageToken.Status);
        Assert.Equal(response.Text, withGarbageToken.Text);
    }

    [Fact]
    public async Task EveryRoute_SucceedsAndRefusesAsTheDocumentDeclares()
    {
        var contract = await OpenApiContract.LoadAsync(api.Anonymous);
        async Task<ApiResponse> Call(HttpClient client, HttpMethod method, string path, object? parameters = null, HttpStatusCode? expected = null)
        {
            var response = await GitLabApi.CallAsync(client, method, path, parameters);
            contract.AssertConforms(method, path, response);
            if (expected is { } status)
            {
                Assert.True(response.Status == status, $"{method} {path}: expected {(int)status}, got {(int)response.Status} {response.Text}");
            }

            return response;
        }

        var admin = api.Admin;
        HttpMethod get = HttpMethod.Get, post = HttpMethod.Post, put = HttpMethod.Put, delete = HttpMethod.Delete;

        // Platform and users.
        await Call(api.Anonymous, get, "health", expected: HttpStatusCode.OK);
        await Call(admin, get, "v4/version", expected: HttpStatusCode.OK);
        await Call(admin, get, "v4/user", expected: HttpStatusCode.OK); // the admin: with is_admin
        var username = "u-" + RouteKit.Unique();
        var userId = Id(await Call(admin, post, "v4/users", new { username, name = username, email = $"{username}@example.com" }, HttpStatusCode.Created));
        var token = (string)(await Call(admin, post, $"v4/users/{userId}/personal_access_tokens", new { name = "contract", scopes = ApiScope }, HttpStatusCode.Created)).Body!["token"]!;
        var developer = api.As(token);
        await Call(developer, get, "v4/user", expected: HttpStatusCode.OK); // a user: without is_admin
        await Call(developer, get, $"v4/users/{userId}", expected: HttpStatusCode.OK);

        // Project, members, protected branches.
        var projectName = "contract-" + RouteKit.Unique();
        var projectId = Id(await Call(admin, post, "v4/projects", new { name = projectName }, HttpStatusCode.Created));
        var project = $"v4/projects/{projectId}";
        await Call(admin, post, $"{project}/members", new { user_id = userId, access_level = AccessLevel.Developer }, HttpStatusCode.Created);
        await Call(developer, get, project, expected: HttpStatusCode.OK);
        await Call(admin, put, project, new { only_allow_merge_if_all_status_checks_passed = true }, HttpStatusCode.OK);
        await Call(admin, get, $"{project}/members", expected: HttpStatusCode.OK);
        await Call(developer, get, $"{project}/members/{userId}", expected: HttpStatusCode.OK);
        var (otherId, _) = await RouteKit.UserAsync(api);
        await Call(admin, post, $"{project}/members", new { user_id = otherId, access_level = AccessLevel.Guest }, HttpStatusCode.Created);
        await Call(admin, put, $"{project}/members/{otherId}", new { access_level = AccessLevel.Reporter }, HttpStatusCode.OK);
        await Call(admin, delete, $"{project}/members/{otherId}", expected: HttpStatusCode.NoContent);
        var branchId = Id(await Call(admin, post, $"{project}/protected_branches", new { name = "main" }, HttpStatusCode.Created));
        await Call(admin, get, $"{project}/protected_branches", expected: HttpStatusCode.OK);
        await Call(admin, get, $"{project}/protected_branches/main", expected: HttpStatusCode.OK);
        await Call(admin, post, $"{project}/protected_branches", new { name = "release/*" }, HttpStatusCode.Created);
        await Call(admin, delete, $"{project}/protected_branches/release%2F*", expected: HttpStatusCode.NoContent);

        // A check, then an MR it applies to.
        var checks = $"{project}/external_status_checks";
        var checkName = "check-" + RouteKit.Unique();
        var checkId = Id(await Call(admin, post, checks, new { name = checkName, external_url = StatusCheckProject.NewUrl(), protected_branch_ids = new[] { branchId } }, HttpStatusCode.Created));
        await Call(admin, get, checks, expected: HttpStatusCode.OK);
        await Call(admin, put, $"{checks}/{checkId}", new { shared_secret = "s3cret" }, HttpStatusCode.OK);
        var sha = GitLabApi.Sha();
        var iid = (long)(await Call(developer, post, $"{project}/merge_requests", new { source_branch = "feature", target_branch = "main", title = "Contract", sha }, HttpStatusCode.Created)).Body!["iid"]!;
        var mergeRequest = $"{project}/merge_requests/{iid}";
        await Call(developer, get, $"{project}/merge_requests", expected: HttpStatusCode.OK);
        await Call(developer, get, mergeRequest, expected: HttpStatusCode.OK);
        await Call(developer, put, mergeRequest, new { description = "Checked against the contract." }, HttpStatusCode.OK);
        var statuses = await Call(developer, get, $"{mergeRequest}/status_checks", expected: HttpStatusCode.OK);
        Assert.Equal("10000", statuses.Header("Poll-Interval"));
        await Call(developer, put, $"{mergeRequest}/merge", expected: HttpStatusCode.MethodNotAllowed); // the check is pending
        await Call(developer, post, $"{mergeRequest}/status_check_responses", new { sha, external_status_check_id = checkId, status = "failed" }, HttpStatusCode.Created);
        await Call(developer, post, $"{mergeRequest}/status_checks/{checkId}/retry", expected: HttpStatusCode.Accepted);
        await Call(developer, post, $"{mergeRequest}/status_checks/{checkId}/retry", expected: HttpStatusCode.UnprocessableEntity); // pending again

        // The delivery log of the notifications those caused (to a URL nothing listens on: each attempt is recorded).
        var deliveries = $"{mergeRequest}/status_checks/{checkId}/deliveries";
        var log = await Eventually.GetAsync(
            async () => (await GitLabApi.CallAsync(admin, get, deliveries)).Body is JsonArray { Count: > 0 } items ? items : null,
            TimeSpan.FromSeconds(30),
            "a delivery in the log");
        await Call(admin, get, deliveries, expected: HttpStatusCode.OK);
        await Call(admin, post, $"{deliveries}/{(long)log[0]!["id"]!}/redeliver", expected: HttpStatusCode.Accepted);
        await Call(admin, post, $"{deliveries}/999999999/redeliver", expected: HttpStatusCode.NotFound);

        await Call(developer, post, $"{mergeRequest}/status_check_responses", new { sha, external_status_check_id = checkId, status = "passed" }, HttpStatusCode.Created);
        await Call(developer, put, $"{mergeRequest}/merge", new { sha }, HttpStatusCode.OK);
        await Call(admin, delete, $"{checks}/{checkId}", expected: HttpStatusCode.NoContent);

        // Refusals, one of each of GitLab's shapes.
        await Call(api.Anonymous, get, project, expected: HttpStatusCode.Unauthorized);
        await Call(admin, get, "v4/projects/999999999", expected: HttpStatusCode.NotFound);
        await Call(developer, get, $"{project}/members", expected: HttpStatusCode.Forbidden);
        await Call(developer, post, checks, new { name = "x", external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.Unauthorized); // ["Not allowed"]
        await Call(admin, post, checks, new { external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.BadRequest); // {"error":"name is missing"}
        await Call(admin, get, $"{project}/merge_requests?state=nope", expected: HttpStatusCode.BadRequest);
        var taken = StatusCheckProject.NewName();
        var takenId = Id(await Call(admin, post, checks, new { name = taken, external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.Created));
        await Call(admin, post, checks, new { name = taken, external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.UnprocessableEntity);
        await Call(admin, post, "v4/projects", new { name = projectName }, HttpStatusCode.BadRequest); // {"message":{"path":[...]}}
        await Call(admin, put, project, new { }, HttpStatusCode.BadRequest); // at least one parameter
        await Call(developer, get, $"{project}/members/999999999", expected: HttpStatusCode.NotFound);
        await Call(admin, get, "v4/users/999999999", expected: HttpStatusCode.NotFound);
        await Call(admin, post, $"{project}/protected_branches", new { name = "main" }, HttpStatusCode.Conflict);
        var sha2 = GitLabApi.Sha();
        var iid2 = (long)(await Call(developer, post, $"{project}/merge_requests", new { source_branch = "other", target_branch = "dev", title = "Other", sha = sha2 }, HttpStatusCode.Created)).Body!["iid"]!;
        await Call(developer, post, $"{project}/merge_requests/{iid2}/status_check_responses", new { sha = GitLabApi.Sha(), external_status_check_id = takenId }, HttpStatusCode.Conflict);
        await CallRaw(contract, admin, post, checks, new StringContent("{\"name\":", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);
        await CallRaw(contract, admin, post, checks, new StringContent("name=x", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType);

        // The GitLab bridge (docs/API.md (The GitLab bridge)), in a project of its own: a linked project's MRs come from GitLab only.
        var gitLabProjectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var hookSha = GitLabApi.Sha();
        await using var gitlab = await FakeGitLab.StartAsync("glpat-contract-" + RouteKit.Unique(), gitLabProjectId, hookSha);
        var bridged = $"v4/projects/{Id(await Call(admin, post, "v4/projects", new { name = "bridge-" + RouteKit.Unique() }, HttpStatusCode.Created))}";
        var link = $"{bridged}/gitlab_link";
        await Call(admin, post, $"{bridged}/members", new { user_id = userId, access_level = AccessLevel.Developer }, HttpStatusCode.Created);
        var linkParameters = new { gitlab_url = gitlab.Url, gitlab_project_id = gitLabProjectId, access_token = gitlab.AccessToken };
        await Call(admin, get, link, expected: HttpStatusCode.NotFound); // {"message":"404 GitLab Link Not Found"}
        await Call(admin, get, $"{link}/deliveries", expected: HttpStatusCode.NotFound);
        await Call(admin, delete, link, expected: HttpStatusCode.NotFound);
        await Call(developer, put, link, linkParameters, HttpStatusCode.Forbidden);
        await Call(admin, put, link, new { gitlab_project_id = gitLabProjectId, access_token = gitlab.AccessToken }, HttpStatusCode.BadRequest); // gitlab_url is missing
        await Call(admin, put, link, linkParameters with { gitlab_url = "ftp://gitlab.example.com" }, HttpStatusCode.BadRequest); // gitlab_url is invalid
        await Call(admin, put, link, new { linkParameters.gitlab_url, linkParameters.gitlab_project_id, linkParameters.access_token, status_name = " " }, HttpStatusCode.BadRequest); // {"message":{"status_name":[...]}}
        var webhookToken = (string)(await Call(admin, put, link, linkParameters, HttpStatusCode.Created)).Body!["webhook_token"]!;
        Assert.Null((await Call(admin, put, link, new { per_check = false }, HttpStatusCode.OK)).Body!["webhook_token"]); // a change: the token is not shown again
        Assert.Null((await Call(admin, get, link, expected: HttpStatusCode.OK)).Body!["webhook_token"]);
        await Call(developer, get, link, expected: HttpStatusCode.Forbidden);

        async Task<ApiResponse> Hook(string? hookToken, string? eventName, string? uuid, HttpContent body, HttpStatusCode expected)
        {
            using var client = service.Host.CreateClient();
            foreach (var (name, value) in new[] { ("X-Gitlab-Token", hookToken), ("X-Gitlab-Event", eventName), ("X-Gitlab-Event-UUID", uuid) })
            {
                if (value is not null)
                {
                    client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
                }
            }

            var response = await GitLabApi.CallRawAsync(client, post, "webhooks/gitlab", body);
            contract.AssertConforms(post, "webhooks/gitlab", response);
            Assert.True(response.Status == expected, $"POST webhooks/gitlab: expected {(int)expected}, got {(int)response.Status} {response.Text}");
            return response;
        }

        const string MergeRequestHook = "Merge Request Hook";
        var opened = GitLabBridgeTests.Hook(gitLabProjectId, iid: 1, "open", "opened", hookSha, DateTimeOffset.UtcNow).ToJsonString();
        var eventUuid = Guid.NewGuid().ToString();
        await Hook("wrong-" + webhookToken, MergeRequestHook, eventUuid, RouteKit.JsonBody(opened), HttpStatusCode.Unauthorized);
        await Hook(webhookToken, MergeRequestHook, null, RouteKit.JsonBody(opened), HttpStatusCode.BadRequest); // {"error":"X-Gitlab-Event-UUID is missing"}
        await Hook(webhookToken, MergeRequestHook, "not-a-uuid", RouteKit.JsonBody(opened), HttpStatusCode.BadRequest);
        var noCommit = JsonNode.Parse(opened)!;
        noCommit["object_attributes"]!.AsObject().Remove("last_commit");
        await Hook(webhookToken, MergeRequestHook, Guid.NewGuid().ToString(), RouteKit.JsonBody(noCommit.ToJsonString()), HttpStatusCode.BadRequest); // {"message":{"merge_request_hook":[...]}}
        await Hook(webhookToken, MergeRequestHook, Guid.NewGuid().ToString(), new ByteArrayContent(new byte[(1024 * 1024) + 1]), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("queued", (string?)(await Hook(webhookToken, MergeRequestHook, eventUuid, RouteKit.JsonBody(opened), HttpStatusCode.Created)).Body!["status"]);
        Assert.Equal("duplicate", (string?)(await Hook(webhookToken, MergeRequestHook, eventUuid, RouteKit.JsonBody(opened), HttpStatusCode.OK)).Body!["status"]);
        var ignored = await Hook(webhookToken, "Push Hook", null, RouteKit.JsonBody(opened), HttpStatusCode.OK);
        Assert.Equal("""{"status":"ignored"}""", ignored.Text);

        // The mirrored MR's status (success: no check applies) reaches the fake GitLab: the link's delivery log has an entry to check.
        await gitlab.WaitForAsync(status => status.Sha == hookSha, "a commit status posted to GitLab");
        await Eventually.GetAsync(
            async () => (await GitLabApi.CallAsync(admin, get, $"{link}/deliveries")).Body is JsonArray { Count: > 0 } items ? items : null,
            TimeSpan.FromSeconds(30),
            "a commit status delivery in the log");
        await Call(admin, get, $"{link}/deliveries", expected: HttpStatusCode.OK);
        await Call(admin, delete, link, expected: HttpStatusCode.NoContent);
        await Hook(webhookToken, MergeRequestHook, Guid.NewGuid().ToString(), RouteKit.JsonBody(opened), HttpStatusCode.Unauthorized); // unlinked

        var missed = contract.NotSucceeded.ToList();
        Assert.True(
            missed.Count == 0,
            "Routes of the OpenAPI document this test never drove to success; add a call for each to "
            + $"{nameof(OpenApiContractTests)}.{nameof(EveryRoute_SucceedsAndRefusesAsTheDocumentDeclares)}:\n  {string.Join("\n  ", missed)}");
    }

    [Fact]
    public async Task Contract_RefusesAnswersTheDocumentDoesNotDeclare()
    {
        var contract = await OpenApiContract.LoadAsync(api.Anonymous);
        using var message = new HttpResponseMessage();
        ApiResponse Answer(HttpStatusCode status, string body) => new(status, body, message.Headers, body.Length == 0 ? null : "application/json");

        var project = """{"id":1,"name":"p","path":"p","path_with_namespace":"root/p","created_at":"2026-11-25T10:00:00.000Z","web_url":"http://x/root/p","only_allow_merge_if_all_status_checks_passed":false}""";
        contract.AssertConforms(HttpMethod.Get, "v4/projects/1", Answer(HttpStatusCode.OK, project)); // the real shape passes

        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Get, "v4/projects/1", Answer(HttpStatusCode.OK, project.Replace("\"id\":1", "\"id\":\"1\"", StringComparison.Ordinal))));
        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Get, "v4/projects/1", Answer(HttpStatusCode.OK, project.Replace("\"web_url\":\"http://x/root/p\",", "", StringComparison.Ordinal))));
        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Get, "v4/projects/1", Answer(HttpStatusCode.Conflict, """{"message":"409 Conflict"}""")));
        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Get, "v4/projects/1", Answer(HttpStatusCode.NotFound, """{"error":"404 Project Not Found"}""")));
        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Patch, "v4/projects/1", Answer(HttpStatusCode.OK, project)));
        Assert.ThrowsAny<Exception>(() => contract.AssertConforms(HttpMethod.Get, "v4/projects/1/members", Answer(HttpStatusCode.OK, "[]"))); // no pagination headers
    }

    private static async Task CallRaw(OpenApiContract contract, HttpClient client, HttpMethod method, string path, HttpContent content, HttpStatusCode expected)
    {
        var response = await GitLabApi.CallRawAsync(client, method, path, content);
        contract.AssertConforms(method, path, response);
        Assert.True(response.Status == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.Status} {response.Text}");
    }

    private static long Id(ApiResponse response) => RouteKit.AssertId(response.Body!["id"]);
}
