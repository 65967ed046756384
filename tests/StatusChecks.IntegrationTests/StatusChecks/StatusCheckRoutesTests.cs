using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.StatusChecks;

/// <summary>
/// The seven status-check routes over HTTP: success shapes field by field, pagination headers, parameter errors,
/// unknown ids, and who may call what.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class StatusCheckRoutesTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    /// <summary>Each route, called on a fresh project that has one check (applying to all MRs, pending) and one MR.</summary>
    public enum CheckRoute
    {
        ListChecks,
        CreateCheck,
        UpdateCheck,
        DeleteCheck,
        ListMergeRequestChecks,
        Respond,
        Retry,
    }

    [Fact]
    public async Task CreateCheck_Success_201WithEveryGitLabField()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var branch = await project.ProtectedBranchAsync("main");
        var (name, url) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());

        var created = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath,
            new { name, external_url = url, shared_secret = "s3cret", protected_branch_ids = new[] { branch } }, HttpStatusCode.Created);

        StatusCheckProject.AssertCheck(created, project.Id, name, url, hmac: true, branch);
        Assert.Equal("main", created["protected_branches"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListChecks_Success_200WithChecksInIdOrder()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var first = await project.CheckAsync();
        var second = await project.CheckAsync(sharedSecret: "s");

        var listed = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK);

        Assert.Equal([first.ToJsonString(), second.ToJsonString()], listed["items"]!.AsArray().Select(item => item!.ToJsonString()));
        StatusCheckProject.AssertCheck(listed["items"]![1], project.Id, second["name"]!.GetValue<string>(), second["external_url"]!.GetValue<string>(), hmac: true);
    }

    [Fact]
    public async Task UpdateCheck_GivenFieldsReplace_OthersKept()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var branch = await project.ProtectedBranchAsync("release/*");
        var check = await project.CheckAsync([branch]);
        var path = $"{project.ChecksPath}/{check["id"]}";
        var url = StatusCheckProject.NewUrl();

        var updated = await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Put, path, new { external_url = url }, HttpStatusCode.OK);

        StatusCheckProject.AssertCheck(updated, project.Id, check["name"]!.GetValue<string>(), url, hmac: false, branch);
        Assert.Equal(check["id"]!.GetValue<long>(), updated["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeleteCheck_Success_204EmptyAndGoneFromList()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var check = await project.CheckAsync();

        var response = await GitLabApi.CallRawAsync(project.MaintainerClient, HttpMethod.Delete, $"{project.ChecksPath}/{check["id"]}");

        Assert.Equal((HttpStatusCode.NoContent, ""), (response.Status, response.Text));
        Assert.Empty((await GitLabApi.SendAsync(project.MaintainerClient, HttpMethod.Get, project.ChecksPath, null, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task ListMergeRequestChecks_Success_IdNameUrlStatusOnly()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var check = await project.CheckAsync();
        var (iid, _) = await project.MergeRequestAsync();

        var listed = await GitLabApi.SendAsync(project.DeveloperClient, HttpMethod.Get, project.MergeRequestPath(iid) + "/status_checks", null, HttpStatusCode.OK);

        var item = Assert.Single(listed["items"]!.AsArray())!.AsObject();
        Assert.Equal(["external_url", "id", "name", "status"], item.Select(p => p.Key).Order());
        Assert.Equal(check["id"]!.GetValue<long>(), item["id"]!.GetValue<long>());
        Assert.Equal(check["name"]!.GetValue<string>(), item["name"]!.GetValue<string>());
        Assert.Equal(check["external_url"]!.GetValue<string>(), item["external_url"]!.GetValue<string>());
        Assert.Equal("pending", item["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Respond_Success_201WithResponseMergeRequestAndCheck()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var branch = await project.ProtectedBranchAsync("main");
        var check = await project.CheckAsync([branch], sharedSecret: "s3cret");
        var checkId = check["id"]!.GetValue<long>();
        var (iid, sha) = await project.MergeRequestAsync("main");

        var response = await project.RespondAsync(iid, sha, checkId, "failed");

        Assert.Equal(["created_at", "external_status_check", "id", "merge_request", "sha", "status"], response.Select(p => p.Key).Order());
        Assert.True(response["id"]!.GetValue<long>() > 0);
        Assert.Equal(("failed", sha), (response["status"]!.GetValue<string>(), response["sha"]!.GetValue<string>()));
        RouteKit.AssertTimestamp(response["created_at"]);
        Assert.Equal(check.ToJsonString(), response["external_status_check"]!.ToJsonString());
        var mr = response["merge_request"]!;
        Assert.True(mr["id"]!.GetValue<long>() > 0);
        Assert.Equal((iid, project.Id, "Change", "opened"), (mr["iid"]!.GetValue<long>(), mr["project_id"]!.GetValue<long>(), mr["title"]!.GetValue<string>(), mr["state"]!.GetValue<string>()));
        Assert.StartsWith("feature-", mr["source_branch"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("main", sha), (mr["target_branch"]!.GetValue<string>(), mr["sha"]!.GetValue<string>()));
        RouteKit.AssertTimestamp(mr["created_at"]);
        RouteKit.AssertTimestamp(mr["updated_at"]);
    }

    [Theory]
    [InlineData("external_status_checks")]
    [InlineData("merge_requests/1/status_checks")]
    public async Task Lists_Paged_GitLabPaginationHeaders(string list)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await project.CheckIdAsync());
        }

        await project.MergeRequestAsync();
        var path = $"v4/projects/{project.Id}/{list}";
        var pages = new List<JsonNode?>();

        foreach (var page in new[] { 1, 2, 3, 4 })
        {
            var (status, body, response) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, $"{path}?per_page=2&page={page}");
            Assert.Equal(HttpStatusCode.OK, status);
            var expected = new Dictionary<string, string>
            {
                ["X-Page"] = $"{page}",
                ["X-Per-Page"] = "2",
                ["X-Total"] = "5",
                ["X-Total-Pages"] = "3",
                ["X-Next-Page"] = page < 3 ? $"{page + 1}" : "",
                ["X-Prev-Page"] = page is > 1 and <= 3 ? $"{page - 1}" : "",
            };
            Assert.Equal(expected, expected.Keys.ToDictionary(name => name, name => string.Join(",", response.Headers.GetValues(name))));
            var link = string.Join(",", response.Headers.GetValues("Link"));
            Assert.Contains($"{service.Host.BaseAddress}{path}?page=1&per_page=2>; rel=\"first\"", link, StringComparison.Ordinal);
            Assert.Contains($"{service.Host.BaseAddress}{path}?page=3&per_page=2>; rel=\"last\"", link, StringComparison.Ordinal);
            Assert.Equal(page < 3, link.Contains("rel=\"next\"", StringComparison.Ordinal));
            Assert.Equal(page is > 1 and <= 3, link.Contains("rel=\"prev\"", StringComparison.Ordinal));
            pages.AddRange(body!.AsArray().Select(item => item!["id"]));
        }

        Assert.Equal(ids, pages.Select(id => id!.GetValue<long>()));
    }

    [Theory]
    [InlineData("external_status_checks")]
    [InlineData("merge_requests/1/status_checks")]
    public async Task Lists_DefaultAndClampedPerPage_As_GitLab(string list)
    {
        var project = await StatusCheckProject.CreateAsync(api);
        await project.CheckIdAsync();
        await project.MergeRequestAsync();
        var path = $"v4/projects/{project.Id}/{list}";

        var (_, _, byDefault) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, path);
        var (_, _, clamped) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, path + "?per_page=1000&page=0");
        var (zeroStatus, zeroBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, path + "?per_page=0");
        var (badStatus, badBody, _) = await GitLabApi.CallAsync(project.MaintainerClient, HttpMethod.Get, path + "?page=abc");

        Assert.Equal(("1", "20"), (byDefault.Headers.GetValues("X-Page").Single(), byDefault.Headers.GetValues("X-Per-Page").Single()));
        Assert.Equal(("1", "100"), (clamped.Headers.GetValues("X-Page").Single(), clamped.Headers.GetValues("X-Per-Page").Single()));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"per_page does not have a valid value"}"""), (zeroStatus, zeroBody!.ToJsonString()));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"page is invalid"}"""), (badStatus, badBody!.ToJsonString()));
    }

    [Fact]
    public async Task CreateCheck_FormEncodedAndQueryString_AreAcceptedLikeJson()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var main = await project.ProtectedBranchAsync("main");
        var release = await project.ProtectedBranchAsync("release/*");
        var (formName, formUrl) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());
        var (queryName, queryUrl) = (StatusCheckProject.NewName(), StatusCheckProject.NewUrl());
        using var form = new FormUrlEncodedContent(
        [
            new("name", formName), new("external_url", formUrl), new("shared_secret", "s"),
            new("protected_branch_ids[]", $"{main}"), new("protected_branch_ids[]", $"{release}"),
        ]);

        var (formStatus, formBody, _) = await GitLabApi.CallRawAsync(project.MaintainerClient, HttpMethod.Post, project.ChecksPath, form);
        var (queryStatus, queryBody, _) = await GitLabApi.CallRawAsync(project.MaintainerClient, HttpMethod.Post,
            $"{project.ChecksPath}?name={queryName}&external_url={Uri.EscapeDataString(queryUrl)}&protected_branch_ids={main},{release}");

        Assert.Equal(HttpStatusCode.Created, formStatus);
        StatusCheckProject.AssertCheck(formBody, project.Id, formName, formUrl, hmac: true, main, release);
        Assert.Equal(HttpStatusCode.Created, queryStatus);
        StatusCheckProject.AssertCheck(queryBody, project.Id, queryName, queryUrl, hmac: false, main, release);
    }

    [Fact]
    public async Task Respond_FormEncoded_IsAccepted()
    {
        var project = await StatusCheckProject.CreateAsync(api);
        var checkId = await project.CheckIdAsync();
        var (iid, sha) = await project.MergeRequestAsync();
        using var form = new FormUrlEncodedContent([new("sha", sha), new("external_status_check_id", $"{checkId}"), new("status", "failed")]);

        var (status, body, _) = await GitLabApi.CallRawAsync(project.DeveloperClient, HttpMethod.Post, project.MergeRequestPath(iid) + "/status_check_responses", form);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("failed", body!["status"]!.GetValue<string>());
    }

    public static TheoryData<CheckRoute, string, string> BadParameters => new()
    {
        { CheckRoute.CreateCheck, """{"external_url":"http://127.0.0.1:9/x"}""", """{"error":"name is missing"}""" },
        { CheckRoute.CreateCheck, """{"name":"n"}""", """{"error":"external_url is missing"}""" },
        { CheckRoute.CreateCheck, """{"name":5,"external_url":"http://127.0.0.1:9/x"}""", """{"error":"name is invalid"}""" },
        { CheckRoute.CreateCheck, """{"name":"n","external_url":["http://127.0.0.1:9/x"]}""", """{"error":"external_url is invalid"}""" },
        { CheckRoute.CreateCheck, """{"name":"n","external_url":"http://127.0.0.1:9/x","protected_branch_ids":"abc"}""", """{"error":"protected_branch_ids is invalid"}""" },
        { CheckRoute.CreateCheck, """{"name":"n","external_url":"http://127.0.0.1:9/x","protected_branch_ids":[-1]}""", """{"error":"protected_branch_ids is invalid"}""" },
        { CheckRoute.CreateCheck, """{"name":"n",""", """{"message":"400 Bad request - malformed JSON"}""" },
        { CheckRoute.CreateCheck, """["name"]""", """{"message":"400 Bad request - malformed JSON"}""" },
        { CheckRoute.UpdateCheck, """{"name":true}""", """{"error":"name is invalid"}""" },
        { CheckRoute.UpdateCheck, """{"protected_branch_ids":[1,"x"]}""", """{"error":"protected_branch_ids is invalid"}""" },
        { CheckRoute.UpdateCheck, """{""", """{"message":"400 Bad request - malformed JSON"}""" },
        { CheckRoute.ListChecks, "?per_page=abc", """{"error":"per_page is invalid"}""" },
        { CheckRoute.Respond, """{"external_status_check_id":1}""", """{"error":"sha is missing"}""" },
        { CheckRoute.Respond, """{"sha":"SHA"}""", """{"error":"external_status_check_id is missing"}""" },
        { CheckRoute.Respond, """{"sha":"SHA","external_status_check_id":"abc"}""", """{"error":"external_status_check_id is invalid"}""" },
        { CheckRoute.Respond, """{"sha":"SHA","external_status_check_id":CHECK,"status":"approved"}""", """{"error":"status does not have a valid value"}""" },
        { CheckRoute.Respond, """{"sha":"SHA","external_status_check_id":CHECK,"status":"success"}""", """{"error":"status does not have a valid value"}""" },
        { CheckRoute.Respond, """{"sha":"SHA",""", """{"message":"400 Bad request - malformed JSON"}""" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Route_BadParameters_Is400WithGitLabBody(CheckRoute route, string parameters, string expected)
    {
        var scene = await Scene.CreateAsync(api);
        var (method, path) = scene.Target(route);
        var json = parameters.Replace("SHA", scene.Sha, StringComparison.Ordinal).Replace("CHECK", $"{scene.CheckId}", StringComparison.Ordinal);
        using var content = parameters.StartsWith('?') ? null : new StringContent(json, Encoding.UTF8, "application/json");

        var response = await GitLabApi.CallRawAsync(api.Admin, method, content is null ? path + parameters : path, content);

        Assert.Equal((HttpStatusCode.BadRequest, expected), (response.Status, response.Text));
    }

    /// <summary>
    /// Grape's declared_params: what a route does not declare is dropped, whatever its shape, in the query or the body
    /// (python-gitlab sends back attributes it has read, such as <c>protected_branches</c>; clients add global options).
    /// </summary>
    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task Route_UndeclaredParameters_AreIgnoredAsGitLab(CheckRoute route)
    {
        var scene = await Scene.CreateAsync(api);
        var (method, path) = scene.Target(route);
        var body = JsonSerializer.SerializeToNode(scene.Body(route))?.AsObject() ?? [];
        body["protected_branches"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "main" });
        body["id"] = 999999999;
        body["enabled"] = null;
        body["order_by"] = "id";

        var (status, response, _) = await GitLabApi.CallAsync(api.Admin, method, path + "?sort=asc&search=x&status=bogus&id=999999999", body);

        Assert.True(Scene.Success(route) == status, $"{route}: expected {(int)Scene.Success(route)}, got {(int)status} {response?.ToJsonString()}");
    }

    public static TheoryData<CheckRoute> AllRoutes => [.. Enum.GetValues<CheckRoute>()];

    // A missing project is named (404 Project Not Found); a missing check or MR inside it is GitLab's generic 404 Not found.
    private const string Project = "404 Project Not Found";
    private const string Record = "404 Not found";

    public static TheoryData<CheckRoute, string, string> UnknownIds => new()
    {
        { CheckRoute.ListChecks, "v4/projects/999999999/external_status_checks", Project },
        { CheckRoute.ListChecks, "v4/projects/no-such%2Fproject/external_status_checks", Project },
        { CheckRoute.CreateCheck, "v4/projects/999999999/external_status_checks", Project },
        { CheckRoute.UpdateCheck, "v4/projects/{project}/external_status_checks/999999999", Record },
        { CheckRoute.UpdateCheck, "v4/projects/{project}/external_status_checks/abc", Record },
        { CheckRoute.UpdateCheck, "v4/projects/{other}/external_status_checks/{check}", Record },
        { CheckRoute.DeleteCheck, "v4/projects/{project}/external_status_checks/0", Record },
        { CheckRoute.DeleteCheck, "v4/projects/{other}/external_status_checks/{check}", Record },
        { CheckRoute.ListMergeRequestChecks, "v4/projects/{project}/merge_requests/999/status_checks", Record },
        { CheckRoute.ListMergeRequestChecks, "v4/projects/{project}/merge_requests/x1/status_checks", Record },
        { CheckRoute.ListMergeRequestChecks, "v4/projects/999999999/merge_requests/1/status_checks", Project },
        { CheckRoute.Respond, "v4/projects/{project}/merge_requests/999/status_check_responses", Record },
        { CheckRoute.Respond, "v4/projects/{other}/merge_requests/1/status_check_responses", Record },
        { CheckRoute.Respond, "v4/projects/{project}/merge_requests/1/status_check_responses?external_status_check_id=999999999", Record },
        { CheckRoute.Retry, "v4/projects/{project}/merge_requests/1/status_checks/999999999/retry", Record },
        { CheckRoute.Retry, "v4/projects/{project}/merge_requests/1/status_checks/abc/retry", Record },
        { CheckRoute.Retry, "v4/projects/{project}/merge_requests/2/status_checks/{check}/retry", Record },
        { CheckRoute.Retry, "v4/projects/{project}/merge_requests/-1/status_checks/{check}/retry", Record },
    };

    [Theory]
    [MemberData(nameof(UnknownIds))]
    public async Task Route_UnknownOrGarbageId_Is404AsGitLab(CheckRoute route, string template, string message)
    {
        var scene = await Scene.CreateAsync(api);
        var other = await Scene.CreateAsync(api); // has its own MR 1 but not this scene's check
        var path = template.Replace("{project}", $"{scene.Project.Id}", StringComparison.Ordinal)
            .Replace("{other}", $"{other.Project.Id}", StringComparison.Ordinal)
            .Replace("{check}", $"{scene.CheckId}", StringComparison.Ordinal);
        var (method, _) = scene.Target(route);
        var body = route switch
        {
            CheckRoute.CreateCheck or CheckRoute.UpdateCheck => new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl() },
            CheckRoute.Respond when !path.Contains('?', StringComparison.Ordinal) => (object)new { sha = scene.Sha, external_status_check_id = scene.CheckId },
            CheckRoute.Respond => new { sha = scene.Sha },
            _ => null,
        };

        var (status, response, _) = await GitLabApi.CallAsync(api.Admin, method, path, body);

        Assert.Equal((HttpStatusCode.NotFound, $$"""{"message":"{{message}}"}"""), (status, response!.ToJsonString()));
    }

    public static TheoryData<CheckRoute, string, HttpStatusCode> Roles()
    {
        var data = new TheoryData<CheckRoute, string, HttpStatusCode>();
        var required = new Dictionary<CheckRoute, int>
        {
            [CheckRoute.ListChecks] = AccessLevel.Maintainer,
            [CheckRoute.CreateCheck] = AccessLevel.Maintainer,
            [CheckRoute.UpdateCheck] = AccessLevel.Maintainer,
            [CheckRoute.DeleteCheck] = AccessLevel.Maintainer,
            [CheckRoute.ListMergeRequestChecks] = AccessLevel.Reporter,
            [CheckRoute.Respond] = AccessLevel.Developer,
            [CheckRoute.Retry] = AccessLevel.Developer,
        };
        foreach (var (route, level) in required)
        {
            foreach (var (role, roleLevel) in new[] { ("guest", 10), ("reporter", 20), ("developer", 30), ("maintainer", 40), ("owner", 50) })
            {
                // GitLab refuses members below Maintainer on check management with 401, elsewhere with 403.
                var refused = level == AccessLevel.Maintainer ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                data.Add(route, role, roleLevel >= level ? Scene.Success(route) : refused);
            }

            data.Add(route, "non-member", HttpStatusCode.NotFound);
            data.Add(route, "admin", Scene.Success(route));
            data.Add(route, "anonymous", HttpStatusCode.Unauthorized);
            data.Add(route, "garbage-token", HttpStatusCode.Unauthorized);
            data.Add(route, "read_api-maintainer", route is CheckRoute.ListChecks or CheckRoute.ListMergeRequestChecks ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Route_ByRole_AllowedOrRefusedAsGitLab(CheckRoute route, string role, HttpStatusCode expected)
    {
        var scene = await Scene.CreateAsync(api);
        using var client = role switch
        {
            "guest" => await api.MemberAsync(scene.Project.Id, AccessLevel.Guest),
            "reporter" => await api.MemberAsync(scene.Project.Id, AccessLevel.Reporter),
            "developer" => await api.MemberAsync(scene.Project.Id, AccessLevel.Developer),
            "maintainer" => await api.MemberAsync(scene.Project.Id, AccessLevel.Maintainer),
            "owner" => await api.MemberAsync(scene.Project.Id, AccessLevel.Owner),
            "read_api-maintainer" => await api.MemberAsync(scene.Project.Id, AccessLevel.Maintainer, ["read_api"]),
            "non-member" => api.As((await api.CreateUserAsync()).Token),
            "admin" => service.Host.CreateClient(service.Host.AdminToken),
            "anonymous" => service.Host.CreateClient(),
            _ => service.Host.CreateClient("glpat-" + Guid.NewGuid().ToString("N")),
        };
        var (method, path) = scene.Target(route);

        var (status, body, _) = await GitLabApi.CallAsync(client, method, path, scene.Body(route));

        Assert.True(expected == status, $"{role} {route}: expected {(int)expected}, got {(int)status} {body?.ToJsonString()}");
        JsonNode? message = expected switch
        {
            // The create and update services answer a member below Maintainer with their own 401 body.
            HttpStatusCode.Unauthorized when route is CheckRoute.CreateCheck or CheckRoute.UpdateCheck && role is "guest" or "reporter" or "developer" => new JsonArray("Not allowed"),
            HttpStatusCode.Unauthorized => "401 Unauthorized",
            HttpStatusCode.Forbidden => "403 Forbidden",
            HttpStatusCode.NotFound => "404 Project Not Found",
            _ => null,
        };
        if (message is not null)
        {
            Assert.Equal(new JsonObject { ["message"] = message }.ToJsonString(), body!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("header")]
    [InlineData("bearer")]
    [InlineData("query")]
    public async Task ListChecks_TokenInEveryGitLabPlace_IsAccepted(string where)
    {
        var scene = await Scene.CreateAsync(api);
        using var client = service.Host.CreateClient();
        var path = scene.Project.ChecksPath;
        if (where == "bearer")
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", service.Host.AdminToken);
        }
        else if (where == "header")
        {
            client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", service.Host.AdminToken);
        }
        else
        {
            path += "?private_token=" + Uri.EscapeDataString(service.Host.AdminToken);
        }

        var (status, body, _) = await GitLabApi.CallRawAsync(client, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body!.AsArray());
    }

    [Fact]
    public async Task Routes_ProjectByUrlEncodedPath_AreTheSameProject()
    {
        var scene = await Scene.CreateAsync(api);
        var encoded = Uri.EscapeDataString(scene.Project.PathWithNamespace);

        var checks = await GitLabApi.SendAsync(api.Admin, HttpMethod.Get, $"v4/projects/{encoded}/external_status_checks", null, HttpStatusCode.OK);
        var mrChecks = await GitLabApi.SendAsync(api.Admin, HttpMethod.Get, $"v4/projects/{encoded}/merge_requests/1/status_checks", null, HttpStatusCode.OK);

        Assert.Equal(scene.CheckId, checks["items"]![0]!["id"]!.GetValue<long>());
        Assert.Equal(scene.CheckId, mrChecks["items"]![0]!["id"]!.GetValue<long>());
    }

    /// <summary>A project with one check (all MRs) and MR 1 (pending), ready for any route.</summary>
    private sealed record Scene(StatusCheckProject Project, long CheckId, long Iid, string Sha)
    {
        public static async Task<Scene> CreateAsync(GitLabApi api)
        {
            var project = await StatusCheckProject.CreateAsync(api);
            var checkId = await project.CheckIdAsync();
            var (iid, sha) = await project.MergeRequestAsync();
            return new Scene(project, checkId, iid, sha);
        }

        /// <summary>What an authorised caller gets: Retry on a pending check is 422, which is only reached past the role check.</summary>
        public static HttpStatusCode Success(CheckRoute route) => route switch
        {
            CheckRoute.CreateCheck or CheckRoute.Respond => HttpStatusCode.Created,
            CheckRoute.DeleteCheck => HttpStatusCode.NoContent,
            CheckRoute.Retry => HttpStatusCode.UnprocessableEntity,
            _ => HttpStatusCode.OK,
        };

        public (HttpMethod Method, string Path) Target(CheckRoute route) => route switch
        {
            CheckRoute.ListChecks => (HttpMethod.Get, Project.ChecksPath),
            CheckRoute.CreateCheck => (HttpMethod.Post, Project.ChecksPath),
            CheckRoute.UpdateCheck => (HttpMethod.Put, $"{Project.ChecksPath}/{CheckId}"),
            CheckRoute.DeleteCheck => (HttpMethod.Delete, $"{Project.ChecksPath}/{CheckId}"),
            CheckRoute.ListMergeRequestChecks => (HttpMethod.Get, Project.MergeRequestPath(Iid) + "/status_checks"),
            CheckRoute.Respond => (HttpMethod.Post, Project.MergeRequestPath(Iid) + "/status_check_responses"),
            _ => (HttpMethod.Post, $"{Project.MergeRequestPath(Iid)}/status_checks/{CheckId}/retry"),
        };

        public object? Body(CheckRoute route) => route switch
        {
            CheckRoute.CreateCheck => new { name = StatusCheckProject.NewName(), external_url = StatusCheckProject.NewUrl() },
            CheckRoute.UpdateCheck => new { name = StatusCheckProject.NewName() },
            CheckRoute.Respond => new { sha = Sha, external_status_check_id = CheckId, status = "passed" },
            _ => null,
        };
    }
}
