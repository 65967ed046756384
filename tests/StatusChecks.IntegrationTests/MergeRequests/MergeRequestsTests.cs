using System.Net;
using System.Text.Json.Nodes;
using static StatusChecks.Testing.AccessLevel;
using static StatusChecks.Testing.RouteKit;

namespace StatusChecks.IntegrationTests.MergeRequests;

/// <summary>
/// GET and POST /projects/:id/merge_requests, GET and PUT /projects/:id/merge_requests/:iid, PUT .../merge (docs/API.md (Resources)),
/// including detailed_merge_status with only_allow_merge_if_all_status_checks_passed.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class MergeRequestsTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Create_AsDeveloper_Returns201OpenedMergeRequest(ParameterEncoding encoding)
    {
        var project = await api.CreateProjectAsync();
        var projectId = project["id"]!.GetValue<long>();
        var developer = await api.MemberAsync(projectId, Developer);
        var sha = GitLabApi.Sha();

        var response = await GitLabApi.CallAsync(
            developer, HttpMethod.Post, MergeRequestsPath(projectId), new { source_branch = "feature/x", target_branch = "main", title = "Add x", sha }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var created = AssertMergeRequest(response.Body, projectId, iid: 1, "opened", "mergeable", sha, title: "Add x", targetBranch: "main");
        Assert.Equal("feature/x", AssertString(created["source_branch"]));
        AssertWebUrl(created["web_url"], $"/{project["path_with_namespace"]}/-/merge_requests/1");
    }

    [Fact]
    public async Task Create_SeveralInTwoProjects_IidsArePerProjectSequencesIdsGlobal()
    {
        var first = await ProjectIdAsync(api);
        var second = await ProjectIdAsync(api);

        var a1 = await CreateAsync(api.Admin, first);
        var a2 = await CreateAsync(api.Admin, first);
        var b1 = await CreateAsync(api.Admin, second);

        Assert.Equal([1L, 2L, 1L], new[] { a1, a2, b1 }.Select(mr => mr["iid"]!.GetValue<long>()));
        Assert.Equal(3, new[] { a1, a2, b1 }.Select(mr => mr["id"]!.GetValue<long>()).Distinct().Count());
    }

    [Theory]
    [InlineData("""{"target_branch":"main","title":"t","sha":"SHA"}""", """{"error":"source_branch is missing"}""")]
    [InlineData("""{"source_branch":"f","title":"t","sha":"SHA"}""", """{"error":"target_branch is missing"}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","sha":"SHA"}""", """{"error":"title is missing"}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","title":"t"}""", """{"error":"sha is missing"}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","title":"t","sha":"abc"}""", """{"error":"sha is invalid"}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","title":"t","sha":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"}""", """{"error":"sha is invalid"}""")]
    [InlineData("""{"source_branch":"","target_branch":"main","title":"t","sha":"SHA"}""", """{"error":"source_branch is invalid"}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","title":" ","sha":"SHA"}""", """{"message":{"title":["can't be blank"]}}""")]
    [InlineData("""{"source_branch":"f","target_branch":"main","title":["t"],"sha":"SHA"}""", """{"error":"title is invalid"}""")]
    [InlineData("""{"source_branch":"f",""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Create_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, MergeRequestsPath(projectId), JsonBody(json.Replace("SHA", GitLabApi.Sha(), StringComparison.Ordinal)));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("developer", HttpStatusCode.Created)]
    [InlineData("maintainer", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("reporter", HttpStatusCode.Forbidden)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Create_ByRole_DeveloperAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, MergeRequestsPath(projectId), NewMergeRequest());

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Get_ByIdAndByPath_ReturnsTheMergeRequest()
    {
        var project = await api.CreateProjectAsync();
        var projectId = project["id"]!.GetValue<long>();
        var created = await CreateAsync(api.Admin, projectId);
        var encodedPath = Uri.EscapeDataString(project["path_with_namespace"]!.GetValue<string>());

        var byId = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestPath(projectId, 1));
        var byPath = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{encodedPath}/merge_requests/1");

        AssertMergeRequest(byId.Body, projectId, 1, "opened", "mergeable", created["sha"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(created, byId.Body), byId.Text);
        Assert.True(JsonNode.DeepEquals(byId.Body, byPath.Body), byPath.Text);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("999999999999")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task Get_UnknownOrGarbageIid_Returns404MergeRequestNotFound(string iid)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MergeRequestsPath(projectId)}/{iid}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Fact]
    public async Task Get_IidOfAnotherProject_Returns404()
    {
        var mine = await ProjectIdAsync(api);
        var other = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, other);
        var developer = await api.MemberAsync(mine, Developer);

        var response = await GitLabApi.CallAsync(developer, HttpMethod.Get, MergeRequestPath(mine, 1));

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Theory]
    [InlineData("reporter", HttpStatusCode.OK)]
    [InlineData("developer", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Get_ByRole_ReporterAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, MergeRequestPath(projectId, 1));

        AssertOutcome(response, expected);
    }

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Update_TitleTargetAndSha_AreChanged(ParameterEncoding encoding)
    {
        var projectId = await ProjectIdAsync(api);
        var developer = await api.MemberAsync(projectId, Developer);
        var created = await CreateAsync(developer, projectId);
        var sha = GitLabApi.Sha();

        var response = await GitLabApi.CallAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, 1), new { title = "Renamed", target_branch = "release/2", sha }, encoding);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var updated = AssertMergeRequest(response.Body, projectId, 1, "opened", "mergeable", sha, title: "Renamed", targetBranch: "release/2");
        Assert.Equal(created["id"]!.GetValue<long>(), updated["id"]!.GetValue<long>());
        Assert.Equal(created["created_at"]!.GetValue<string>(), updated["created_at"]!.GetValue<string>());
        Assert.True(AssertTimestamp(updated["updated_at"]) >= AssertTimestamp(created["updated_at"]));
    }

    [Fact]
    public async Task Description_CreatedUpdatedClearedAndListed_AsGitLabReturnsIt()
    {
        var projectId = await ProjectIdAsync(api);
        var developer = await api.MemberAsync(projectId, Developer);
        var text = "Why:\n- \"quoted\" <b>é</b> \U0001F600";
        var plain = await CreateAsync(developer, projectId);

        var described = await GitLabApi.SendAsync(
            developer, HttpMethod.Post, MergeRequestsPath(projectId), new { source_branch = "feature/d", target_branch = "main", title = "Described", sha = GitLabApi.Sha(), description = text }, HttpStatusCode.Created);
        var iid = described["iid"]!.GetValue<long>();
        var fetched = await GitLabApi.CallAsync(developer, HttpMethod.Get, MergeRequestPath(projectId, iid));
        var listed = Items(await GitLabApi.CallAsync(developer, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?sort=asc"));
        var nullIsAbsent = await GitLabApi.SendAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, iid), new { title = "Renamed", description = (string?)null }, HttpStatusCode.OK);
        var edited = await GitLabApi.SendAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, iid), new { description = "Edited" }, HttpStatusCode.OK);
        var cleared = await GitLabApi.SendAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, iid), new { description = "" }, HttpStatusCode.OK);

        Assert.True(plain.ContainsKey("description"));
        AssertNull(plain["description"]); // never given: GitLab's nil
        Assert.Equal(text, AssertString(described["description"]));
        Assert.Equal(text, AssertString(fetched.Body!["description"]));
        Assert.Equal([null, text], listed.Select(item => (string?)item!["description"]));
        Assert.Equal(("Renamed", text), (AssertString(nullIsAbsent["title"]), AssertString(nullIsAbsent["description"])));
        Assert.Equal("Edited", AssertString(edited["description"]));
        Assert.Equal("", AssertString(cleared["description"]));
        Assert.Equal("", AssertString((await GitLabApi.CallAsync(developer, HttpMethod.Get, MergeRequestPath(projectId, iid))).Body!["description"]));
    }

    [Fact]
    public async Task Description_LongestAcceptedAndOneMoreRefusedWithNothingChanged()
    {
        const int Longest = 35_000; // README: the limit that keeps every notification storable
        const string TooLong = """{"message":{"description":["is too long (maximum is 35000 characters)"]}}""";
        var projectId = await ProjectIdAsync(api);
        var created = await CreateAsync(api.Admin, projectId);
        var longest = new string('d', Longest);

        var accepted = await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), new { description = longest }, HttpStatusCode.OK);
        var tooLong = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), new { title = "Not applied", description = longest + "d" });
        var tooLongOnCreate = await GitLabApi.CallAsync(
            api.Admin, HttpMethod.Post, MergeRequestsPath(projectId), new { source_branch = "f", target_branch = "main", title = "t", sha = GitLabApi.Sha(), description = longest + "d" });

        Assert.Equal(longest, AssertString(accepted["description"]));
        // GitLab's MR API renders its model's errors hash (render_validation_error!): 400 {"message":{"description":[...]}}.
        AssertError(tooLong, HttpStatusCode.BadRequest, TooLong);
        AssertError(tooLongOnCreate, HttpStatusCode.BadRequest, TooLong);
        var stored = (await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestPath(projectId, 1))).Body!;
        Assert.Equal((longest, created["title"]!.GetValue<string>(), accepted["updated_at"]!.GetValue<string>()), (AssertString(stored["description"]), AssertString(stored["title"]), stored["updated_at"]!.GetValue<string>()));
        Assert.Single((await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestsPath(projectId))).Body!.AsArray());
    }

    [Fact]
    public async Task Update_CloseThenReopen_ChangesStateAndDetailedStatus()
    {
        var projectId = await ProjectIdAsync(api);
        var developer = await api.MemberAsync(projectId, Developer);
        var sha = (await CreateAsync(developer, projectId))["sha"]!.GetValue<string>();

        var closed = await GitLabApi.CallAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, 1), new { state_event = "close" });
        var reopened = await GitLabApi.CallAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, 1), new { state_event = "reopen" });

        var closedMr = AssertMergeRequest(closed.Body, projectId, 1, "closed", "not_open", sha);
        AssertTimestamp(closedMr["closed_at"]);
        var reopenedMr = AssertMergeRequest(reopened.Body, projectId, 1, "opened", "mergeable", sha);
        AssertNull(reopenedMr["closed_at"]);
    }

    [Theory]
    [InlineData("{}", """{"error":"title, description, target_branch, sha, state_event are missing, at least one parameter must be provided"}""")]
    [InlineData("""{"state_event":"merge"}""", """{"error":"state_event does not have a valid value"}""")]
    [InlineData("""{"sha":"abc"}""", """{"error":"sha is invalid"}""")]
    [InlineData("""{"target_branch":""}""", """{"error":"target_branch is invalid"}""")]
    [InlineData("""{"title":""}""", """{"message":{"title":["can't be blank"]}}""")]
    [InlineData("""{"title":""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Update_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("abc")]
    public async Task Update_UnknownIid_Returns404(string iid)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, $"{MergeRequestsPath(projectId)}/{iid}", new { title = "x" });

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Theory]
    [InlineData("developer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("reporter", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Update_ByRole_DeveloperAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Put, MergeRequestPath(projectId, 1), new { title = "Renamed" });
        var stored = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestPath(projectId, 1));

        AssertOutcome(response, expected);
        Assert.Equal(expected == HttpStatusCode.OK, stored.Body!["title"]!.GetValue<string>() == "Renamed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Merge_OpenMergeRequest_Returns200Merged(bool withSha)
    {
        var projectId = await ProjectIdAsync(api);
        var developer = await api.MemberAsync(projectId, Developer);
        var sha = (await CreateAsync(developer, projectId))["sha"]!.GetValue<string>();

        var response = await GitLabApi.CallAsync(developer, HttpMethod.Put, MergePath(projectId, 1), withSha ? new { sha } : null);
        var read = await GitLabApi.CallAsync(developer, HttpMethod.Get, MergeRequestPath(projectId, 1));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var merged = AssertMergeRequest(response.Body, projectId, 1, "merged", "not_open", sha);
        AssertTimestamp(merged["merged_at"]);
        Assert.True(JsonNode.DeepEquals(response.Body, read.Body), read.Text);
    }

    [Fact]
    public async Task Merge_ShaNotHead_Returns409AndStaysOpen()
    {
        var projectId = await ProjectIdAsync(api);
        var mr = await CreateAsync(api.Admin, projectId);
        var other = GitLabApi.Sha();

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1), new { sha = other });
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestPath(projectId, 1));

        AssertError(response, HttpStatusCode.Conflict, $$"""{"message":"SHA does not match HEAD of source branch: {{mr["sha"]}}"}"""); // the HEAD, as GitLab
        Assert.Equal("opened", read.Body!["state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("close")]
    [InlineData("merge")]
    public async Task Merge_NotOpen_Returns405(string before)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);
        if (before == "close")
        {
            await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), new { state_event = "close" }, HttpStatusCode.OK);
        }
        else
        {
            await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1), null, HttpStatusCode.OK);
        }

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1));

        AssertError(response, HttpStatusCode.MethodNotAllowed, """{"message":"405 Method Not Allowed"}""");
    }

    [Theory]
    [InlineData("""{"sha":5}""", """{"error":"sha is invalid"}""")]
    [InlineData("""{"sha":""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Merge_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);
        var sha = (await CreateAsync(api.Admin, projectId))["sha"]!.GetValue<string>();

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1), JsonBody(json.Replace("SHA", sha, StringComparison.Ordinal)));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Merge_UnknownIid_Returns404()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1));

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Theory]
    [InlineData("developer", HttpStatusCode.OK)]
    [InlineData("maintainer", HttpStatusCode.OK)]
    [InlineData("reporter", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Merge_ByRole_DeveloperAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Put, MergePath(projectId, 1));
        var stored = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestPath(projectId, 1));

        AssertOutcome(response, expected);
        Assert.Equal(expected == HttpStatusCode.OK ? "merged" : "opened", stored.Body!["state"]!.GetValue<string>());
    }

    /// <summary>
    /// With only_allow_merge_if_all_status_checks_passed on, a check that is not passed for the HEAD sha blocks the
    /// merge (status_checks_must_pass, 405); a passed response unblocks it; a new sha blocks it again; with the
    /// setting off the same pending check does not block.
    /// </summary>
    [Fact]
    public async Task DetailedMergeStatus_OnlyAllowMergeIfChecksPassed_FollowsTheCheckAtHead()
    {
        var projectId = await ProjectIdAsync(api);
        var maintainer = await api.MemberAsync(projectId, Maintainer);
        var sha = (await CreateAsync(maintainer, projectId))["sha"]!.GetValue<string>();
        var check = await GitLabApi.SendAsync(
            maintainer,
            HttpMethod.Post,
            $"v4/projects/{projectId}/external_status_checks",
            new { name = "ci", external_url = $"http://127.0.0.1:9/{Unique()}" },
            HttpStatusCode.Created);
        var checkId = check["id"]!.GetValue<long>();

        var settingOff = await StatusAsync(maintainer, projectId);
        await SetOnlyAllowMergeAsync(maintainer, projectId, true);
        var pending = await StatusAsync(maintainer, projectId);
        var blocked = await GitLabApi.CallAsync(maintainer, HttpMethod.Put, MergePath(projectId, 1), new { sha });
        await RespondAsync(maintainer, projectId, sha, checkId, "failed");
        var failed = await StatusAsync(maintainer, projectId);
        await RespondAsync(maintainer, projectId, sha, checkId, "passed");
        var passed = await StatusAsync(maintainer, projectId);
        var newSha = GitLabApi.Sha();
        await GitLabApi.SendAsync(maintainer, HttpMethod.Put, MergeRequestPath(projectId, 1), new { sha = newSha }, HttpStatusCode.OK);
        var afterPush = await StatusAsync(maintainer, projectId);
        await RespondAsync(maintainer, projectId, newSha, checkId, "passed");
        var merged = await GitLabApi.CallAsync(maintainer, HttpMethod.Put, MergePath(projectId, 1), new { sha = newSha });

        Assert.Equal("mergeable", settingOff);
        Assert.Equal("status_checks_must_pass", pending);
        AssertError(blocked, HttpStatusCode.MethodNotAllowed, """{"message":"405 Method Not Allowed"}""");
        Assert.Equal("status_checks_must_pass", failed);
        Assert.Equal("mergeable", passed);
        Assert.Equal("status_checks_must_pass", afterPush);
        Assert.Equal(HttpStatusCode.OK, merged.Status);
        AssertMergeRequest(merged.Body, projectId, 1, "merged", "not_open", newSha);
    }

    [Fact]
    public async Task DetailedMergeStatus_CheckForOtherProtectedBranch_DoesNotBlock()
    {
        var projectId = await ProjectIdAsync(api);
        var branch = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/protected_branches", new { name = "release/*" }, HttpStatusCode.Created);
        await GitLabApi.SendAsync(
            api.Admin,
            HttpMethod.Post,
            $"v4/projects/{projectId}/external_status_checks",
            new { name = "release-ci", external_url = $"http://127.0.0.1:9/{Unique()}", protected_branch_ids = new[] { branch["id"]!.GetValue<long>() } },
            HttpStatusCode.Created);
        await SetOnlyAllowMergeAsync(api.Admin, projectId, true);

        var toMain = await CreateAsync(api.Admin, projectId, targetBranch: "main");
        var toRelease = await CreateAsync(api.Admin, projectId, targetBranch: "release/1.0");

        Assert.Equal("mergeable", toMain["detailed_merge_status"]!.GetValue<string>());
        Assert.Equal("status_checks_must_pass", toRelease["detailed_merge_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiveMergeRequestsTwoPerPage_NewestFirstWithPagination()
    {
        var projectId = await ProjectIdAsync(api);
        var reporter = await api.MemberAsync(projectId, Reporter);
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(api.Admin, projectId);
        }

        var pages = new List<ApiResponse>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await GitLabApi.CallAsync(reporter, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?per_page=2&page={page}"));
        }

        var ascending = await GitLabApi.CallAsync(reporter, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?sort=asc&per_page=3&page=2");
        var whole = await GitLabApi.CallAsync(reporter, HttpMethod.Get, MergeRequestsPath(projectId));

        for (var page = 1; page <= 4; page++)
        {
            AssertPage(pages[page - 1], page, perPage: 2, total: 5);
        }

        Assert.Equal([5L, 4, 3, 2, 1], pages.SelectMany(page => Iids(page)));
        Assert.Equal([4L, 5], Iids(ascending));
        AssertPage(whole, page: 1, perPage: 20, total: 5);
        foreach (var item in Items(whole))
        {
            var single = await GitLabApi.CallAsync(reporter, HttpMethod.Get, MergeRequestPath(projectId, item!["iid"]!.GetValue<long>()));
            Assert.True(JsonNode.DeepEquals(single.Body, item), $"{item.ToJsonString()} != {single.Text}");
        }
    }

    [Theory]
    [InlineData("", new long[] { 5, 4, 3, 2, 1 })]
    [InlineData("state=all", new long[] { 5, 4, 3, 2, 1 })]
    [InlineData("state=opened", new long[] { 5, 4, 2 })]
    [InlineData("state=closed", new long[] { 1 })]
    [InlineData("state=merged", new long[] { 3 })]
    [InlineData("state=locked", new long[0])]
    [InlineData("target_branch=release", new long[] { 4, 3 })]
    [InlineData("target_branch=release&state=opened", new long[] { 4 })]
    [InlineData("source_branch=feature%2Fx", new long[] { 5, 2 })]
    [InlineData("source_branch=feature%2Fx&target_branch=main&state=opened&sort=asc", new long[] { 2, 5 })]
    [InlineData("target_branch=", new long[] { 5, 4, 3, 2, 1 })] // blank: no filter, as GitLab's finder
    [InlineData("target_branch=Main", new long[0])]
    [InlineData("target_branch=%27%20or%201%20eq%201%20or%20%27", new long[0])]
    public async Task List_Filters_MatchStateAndBranches(string query, long[] expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId, "main", "feature/a"); // 1: closed
        await CreateAsync(api.Admin, projectId, "main", "feature/x"); // 2
        await CreateAsync(api.Admin, projectId, "release", "feature/b"); // 3: merged
        await CreateAsync(api.Admin, projectId, "release", "feature/c"); // 4
        await CreateAsync(api.Admin, projectId, "main", "feature/x"); // 5
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), new { state_event = "close" }, HttpStatusCode.OK);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 3), null, HttpStatusCode.OK);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?{query}&per_page=2");
        var all = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?{query}&per_page=100");

        AssertPage(response, page: 1, perPage: 2, total: expected.Length);
        Assert.Equal(expected.Take(2), Iids(response));
        Assert.Equal(expected, Iids(all));
    }

    [Fact]
    public async Task List_OtherProjectsMergeRequests_AreNotListed()
    {
        var projectId = await ProjectIdAsync(api);
        var otherId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, otherId);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestsPath(projectId));

        AssertPage(response, page: 1, perPage: 20, total: 0);
        Assert.Empty(Items(response));
    }

    [Fact]
    public async Task List_ProjectRequiringChecks_DetailedMergeStatusPerMergeRequest()
    {
        var projectId = await ProjectIdAsync(api);
        await SetOnlyAllowMergeAsync(api.Admin, projectId, true);
        var branch = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/protected_branches", new { name = "release" }, HttpStatusCode.Created);
        await GitLabApi.SendAsync(
            api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/external_status_checks",
            new { name = "ci", external_url = "https://ci.example.com/hook", protected_branch_ids = new[] { branch["id"]!.GetValue<long>() } }, HttpStatusCode.Created);
        await CreateAsync(api.Admin, projectId, "main");
        await CreateAsync(api.Admin, projectId, "release");
        await CreateAsync(api.Admin, projectId, "release");
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 3), new { state_event = "close" }, HttpStatusCode.OK);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MergeRequestsPath(projectId));

        Assert.Equal(
            ["not_open", "status_checks_must_pass", "mergeable"],
            Items(response).Select(item => item!["detailed_merge_status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("state=open", """{"error":"state does not have a valid value"}""")]
    [InlineData("state=OPENED", """{"error":"state does not have a valid value"}""")]
    [InlineData("sort=newest", """{"error":"sort does not have a valid value"}""")]
    [InlineData("per_page=0", """{"error":"per_page does not have a valid value"}""")]
    [InlineData("page=x", """{"error":"page is invalid"}""")]
    [InlineData("target_branch=a%00b", """{"error":"target_branch is invalid"}""")]
    [InlineData("state[]=opened", """{"error":"state is invalid"}""")]
    public async Task List_InvalidParameters_Returns400(string query, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MergeRequestsPath(projectId)}?{query}");

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("reporter", HttpStatusCode.OK)]
    [InlineData("developer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task List_ByRole_ReporterAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await CreateAsync(api.Admin, projectId);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, MergeRequestsPath(projectId));

        AssertOutcome(response, expected);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal([1L], Iids(response));
        }
    }

    [Theory]
    [InlineData("""{"sha":"NEW"}""")]
    [InlineData("""{"target_branch":"release"}""")]
    [InlineData("""{"state_event":"reopen"}""")]
    [InlineData("""{"state_event":"close"}""")]
    [InlineData("""{"title":"Renamed","sha":"NEW"}""")]
    public async Task Update_MergedMergeRequest_RewritingShaTargetOrState_Returns405AndChangesNothing(string json)
    {
        var projectId = await ProjectIdAsync(api);
        var developer = await api.MemberAsync(projectId, Developer);
        await CreateAsync(developer, projectId);
        var merged = await GitLabApi.SendAsync(developer, HttpMethod.Put, MergePath(projectId, 1), null, HttpStatusCode.OK);

        var response = await GitLabApi.CallRawAsync(developer, HttpMethod.Put, MergeRequestPath(projectId, 1), JsonBody(json.Replace("NEW", GitLabApi.Sha(), StringComparison.Ordinal)));
        var read = await GitLabApi.CallAsync(developer, HttpMethod.Get, MergeRequestPath(projectId, 1));

        AssertError(response, HttpStatusCode.MethodNotAllowed, """{"message":"405 Method Not Allowed"}""");
        Assert.True(JsonNode.DeepEquals(merged, read.Body), read.Text);
    }

    [Fact]
    public async Task Update_MergedMergeRequest_TitleOrUnchangedValues_AreAllowed()
    {
        var projectId = await ProjectIdAsync(api);
        var created = await CreateAsync(api.Admin, projectId);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, MergePath(projectId, 1), null, HttpStatusCode.OK);
        var sha = created["sha"]!.GetValue<string>();

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, MergeRequestPath(projectId, 1), new { title = "Renamed", sha, target_branch = "main" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        AssertMergeRequest(response.Body, projectId, 1, "merged", "not_open", sha, title: "Renamed", targetBranch: "main");
    }

    /// <summary>A merge request object field by field.</summary>
    private static JsonObject AssertMergeRequest(
        JsonNode? node, long projectId, long iid, string state, string detailedMergeStatus, string sha, string? title = null, string? targetBranch = null)
    {
        var mr = AssertFields(
            node,
            "id", "iid", "project_id", "title", "description", "state", "source_branch", "target_branch", "sha",
            "created_at", "updated_at", "merged_at", "closed_at", "detailed_merge_status", "web_url");
        AssertId(mr["id"]);
        Assert.Equal(iid, AssertId(mr["iid"]));
        Assert.Equal(projectId, mr["project_id"]!.GetValue<long>());
        var actualTitle = AssertString(mr["title"]);
        Assert.Equal(title ?? actualTitle, actualTitle);
        Assert.Equal(state, AssertString(mr["state"]));
        Assert.NotEmpty(AssertString(mr["source_branch"]));
        var actualTarget = AssertString(mr["target_branch"]);
        Assert.Equal(targetBranch ?? actualTarget, actualTarget);
        Assert.Equal(sha, AssertString(mr["sha"]));
        var createdAt = AssertTimestamp(mr["created_at"]);
        Assert.True(AssertTimestamp(mr["updated_at"]) >= createdAt);
        if (state == "merged")
        {
            AssertTimestamp(mr["merged_at"]);
        }
        else
        {
            AssertNull(mr["merged_at"]);
        }

        if (state != "closed")
        {
            AssertNull(mr["closed_at"]);
        }

        Assert.Equal(detailedMergeStatus, AssertString(mr["detailed_merge_status"]));
        AssertWebUrl(mr["web_url"], $"/-/merge_requests/{iid}");
        return mr;
    }

    private static object NewMergeRequest(string targetBranch = "main", string? sourceBranch = null) =>
        new { source_branch = sourceBranch ?? "feature-" + Unique(), target_branch = targetBranch, title = "Change", sha = GitLabApi.Sha() };

    private static Task<JsonObject> CreateAsync(HttpClient client, long projectId, string targetBranch = "main", string? sourceBranch = null) =>
        GitLabApi.SendAsync(client, HttpMethod.Post, MergeRequestsPath(projectId), NewMergeRequest(targetBranch, sourceBranch), HttpStatusCode.Created);

    /// <summary>The iids of a list response, in its order.</summary>
    private static List<long> Iids(ApiResponse response) => Items(response).Select(item => item!["iid"]!.GetValue<long>()).ToList();

    private static async Task<string> StatusAsync(HttpClient client, long projectId) =>
        (await GitLabApi.SendAsync(client, HttpMethod.Get, MergeRequestPath(projectId, 1), null, HttpStatusCode.OK))["detailed_merge_status"]!.GetValue<string>();

    private static Task<JsonObject> SetOnlyAllowMergeAsync(HttpClient client, long projectId, bool value) =>
        GitLabApi.SendAsync(client, HttpMethod.Put, $"v4/projects/{projectId}", new { only_allow_merge_if_all_status_checks_passed = value }, HttpStatusCode.OK);

    private static Task<JsonObject> RespondAsync(HttpClient client, long projectId, string sha, long checkId, string status) =>
        GitLabApi.SendAsync(
            client, HttpMethod.Post, MergeRequestPath(projectId, 1) + "/status_check_responses", new { sha, external_status_check_id = checkId, status }, HttpStatusCode.Created);

    private static string MergeRequestsPath(long projectId) => $"v4/projects/{projectId}/merge_requests";

    private static string MergeRequestPath(long projectId, long iid) => $"{MergeRequestsPath(projectId)}/{iid}";

    private static string MergePath(long projectId, long iid) => $"{MergeRequestPath(projectId, iid)}/merge";
}
