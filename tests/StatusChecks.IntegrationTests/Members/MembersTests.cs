using System.Net;
using System.Text.Json.Nodes;
using static StatusChecks.Testing.AccessLevel;
using static StatusChecks.Testing.RouteKit;

namespace StatusChecks.IntegrationTests.Members;

/// <summary>GET/POST /projects/:id/members and GET/PUT/DELETE /projects/:id/members/:user_id (docs/API.md (Resources)).</summary>
[Collection(ServiceCollection.Name)]
public sealed class MembersTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Add_AsMaintainer_Returns201Member(ParameterEncoding encoding)
    {
        var projectId = await ProjectIdAsync(api);
        var maintainer = await api.MemberAsync(projectId, Maintainer);
        var (userId, username) = await UserAsync(api);

        var response = await GitLabApi.CallAsync(maintainer, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Developer }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertMember(response.Body, userId, username, Developer);
    }

    [Fact]
    public async Task List_ThreeMembersTwoPerPage_PaginatesInOrder()
    {
        var projectId = await ProjectIdAsync(api);
        var added = new List<long>();
        foreach (var level in new[] { Guest, Reporter, Maintainer })
        {
            var (userId, _) = await UserAsync(api);
            await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = level }, HttpStatusCode.Created);
            added.Add(userId);
        }

        var first = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2");
        var second = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2&page=2");
        var beyond = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2&page=3");

        AssertPage(first, page: 1, perPage: 2, total: 3);
        AssertPage(second, page: 2, perPage: 2, total: 3);
        AssertPage(beyond, page: 3, perPage: 2, total: 3);
        var listed = Items(first).Concat(Items(second)).ToList();
        Assert.Equal(added.Order(), listed.Select(member => member!["id"]!.GetValue<long>()).Order());
        Assert.Empty(Items(beyond));
        foreach (var member in listed)
        {
            AssertMember(member, member!["id"]!.GetValue<long>(), member["username"]!.GetValue<string>(), member["access_level"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task List_EmptyProject_ReturnsEmptyArrayWithOnePage()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId));

        AssertPage(response, page: 1, perPage: 20, total: 0);
        Assert.Empty(Items(response));
    }

    [Theory]
    [InlineData("per_page=0", """{"error":"per_page does not have a valid value"}""")]
    [InlineData("page=abc", """{"error":"page is invalid"}""")]
    public async Task List_InvalidParameters_Returns400(string query, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}?{query}");

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.OK)]
    [InlineData("owner", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task List_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, MembersPath(projectId));

        AssertOutcome(response, expected);
    }

    [Theory]
    [InlineData("""{"access_level":30}""", """{"error":"user_id is missing"}""")]
    [InlineData("""{"user_id":USER}""", """{"error":"access_level is missing"}""")]
    [InlineData("""{"user_id":"abc","access_level":30}""", """{"error":"user_id is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":"abc"}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":35}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":0}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":30,"expires_at":"2030-13-01"}""", """{"error":"expires_at is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":30,"expires_at":"2000-01-01"}""", """{"message":{"expires_at":["cannot be a date in the past"]}}""")]
    [InlineData("""{"user_id":USER,""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Add_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, _) = await UserAsync(api);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), JsonBody(json.Replace("USER", userId.ToString(), StringComparison.Ordinal)));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Add_UnknownUser_Returns404UserNotFound()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = 999999999999, access_level = Developer });

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }

    [Fact]
    public async Task Add_AlreadyMember_Returns409()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, _) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Maintainer });

        AssertError(response, HttpStatusCode.Conflict, """{"message":"Member already exists"}""");
    }

    [Theory]
    [InlineData("maintainer", Developer, HttpStatusCode.Created)]
    [InlineData("maintainer", Maintainer, HttpStatusCode.Created)]
    [InlineData("maintainer", Owner, HttpStatusCode.Forbidden)]
    [InlineData("owner", Owner, HttpStatusCode.Forbidden)]
    [InlineData("admin", Owner, HttpStatusCode.Created)]
    [InlineData("developer", Guest, HttpStatusCode.Forbidden)]
    [InlineData("read_api", Guest, HttpStatusCode.Forbidden)]
    [InlineData("nonmember", Guest, HttpStatusCode.NotFound)]
    [InlineData("anonymous", Guest, HttpStatusCode.Unauthorized)]
    [InlineData("garbage", Guest, HttpStatusCode.Unauthorized)]
    public async Task Add_ByRole_MaintainerAndOwnerLevelOnlyByAdmin(string role, int level, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);
        var (userId, _) = await UserAsync(api);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = level });

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Remove_Member_Returns204AndRevokesAccess()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Reporter }, HttpStatusCode.Created);
        var before = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");

        var removed = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");
        var after = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");
        var listed = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId));

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Empty(removed.Text);
        AssertError(after, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
        AssertPage(listed, page: 1, perPage: 20, total: 0);
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task Remove_NotAMember_Returns404NotFound(string userId)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Theory]
    [InlineData("maintainer", Developer, HttpStatusCode.NoContent)]
    [InlineData("maintainer", Owner, HttpStatusCode.Forbidden)]
    [InlineData("admin", Owner, HttpStatusCode.NoContent)]
    [InlineData("developer", Guest, HttpStatusCode.Forbidden)]
    [InlineData("read_api", Guest, HttpStatusCode.Forbidden)]
    [InlineData("nonmember", Guest, HttpStatusCode.NotFound)]
    [InlineData("anonymous", Guest, HttpStatusCode.Unauthorized)]
    [InlineData("garbage", Guest, HttpStatusCode.Unauthorized)]
    public async Task Remove_ByRole_MaintainerAndOwnerOnlyByAdmin(string role, int level, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);
        var (userId, _) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = level }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");
        var stillMember = (await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=100")).Body!.AsArray()
            .Any(member => member!["id"]!.GetValue<long>() == userId);

        AssertOutcome(response, expected);
        Assert.Equal(expected != HttpStatusCode.NoContent, stillMember);
    }

    [Fact]
    public async Task Add_WithExpiresAt_KeepsIt()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, username) = await UserAsync(api);
        var expiresAt = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Developer, expires_at = expiresAt });
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertMember(response.Body, userId, username, Developer, expiresAt);
        AssertMember(read.Body, userId, username, Developer, expiresAt);
    }

    [Fact]
    public async Task Update_ExpiryToday_EndsTheMembersAccess()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Developer }, HttpStatusCode.Created);
        var before = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");

        await GitLabApi.SendAsync(
            api.Admin, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", new { access_level = Developer, expires_at = DateTime.UtcNow.ToString("yyyy-MM-dd") }, HttpStatusCode.OK);
        var after = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        AssertOutcome(after, HttpStatusCode.NotFound); // GitLab removes a membership on its expiry date
    }

    [Theory]
    [InlineData("guest", HttpStatusCode.OK)]
    [InlineData("reporter", HttpStatusCode.OK)]
    [InlineData("maintainer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Get_ByRole_GuestAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, username) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Reporter }, HttpStatusCode.Created);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        AssertOutcome(response, expected);
        if (expected == HttpStatusCode.OK)
        {
            AssertMember(response.Body, userId, username, Reporter);
        }
    }

    [Theory]
    [InlineData("USER")] // a user who exists but is not a member
    [InlineData("999999999999")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("1%20or%201%20eq%201")]
    public async Task Get_NotAMember_Returns404NotFound(string userId)
    {
        var projectId = await ProjectIdAsync(api);
        var (stranger, _) = await UserAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}/{userId.Replace("USER", stranger.ToString(), StringComparison.Ordinal)}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Fact]
    public async Task Get_MemberOfAnotherProject_Returns404NotFound()
    {
        var projectId = await ProjectIdAsync(api);
        var otherId = await ProjectIdAsync(api);
        var (userId, _) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(otherId), new { user_id = userId, access_level = Developer }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Update_AsMaintainer_ChangesLevelAndExpiry(ParameterEncoding encoding)
    {
        var projectId = await ProjectIdAsync(api);
        var maintainer = await api.MemberAsync(projectId, Maintainer);
        var (userId, username) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);
        var expiresAt = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd");

        var updated = await GitLabApi.CallAsync(maintainer, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", new { access_level = Developer, expires_at = expiresAt }, encoding);
        var levelOnly = await GitLabApi.CallAsync(maintainer, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", new { access_level = Reporter }, encoding);
        var read = await GitLabApi.CallAsync(maintainer, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (updated.Status, levelOnly.Status));
        AssertMember(updated.Body, userId, username, Developer, expiresAt);
        AssertMember(levelOnly.Body, userId, username, Reporter, expiresAt); // absent expires_at: unchanged
        AssertMember(read.Body, userId, username, Reporter, expiresAt);
    }

    [Fact]
    public async Task Update_NewLevel_ChangesWhatTheMemberMayDo()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);
        var member = api.As(token);

        var before = await GitLabApi.CallAsync(member, HttpMethod.Get, MembersPath(projectId));
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", new { access_level = Maintainer }, HttpStatusCode.OK);
        var after = await GitLabApi.CallAsync(member, HttpMethod.Get, MembersPath(projectId));

        AssertOutcome(before, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Theory]
    [InlineData("{}", """{"error":"access_level is missing"}""")]
    [InlineData("""{"access_level":"abc"}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"access_level":35}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"access_level":0}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"access_level":30,"expires_at":"tomorrow"}""", """{"error":"expires_at is invalid"}""")]
    [InlineData("""{"access_level":30,"expires_at":"2000-01-01"}""", """{"message":{"expires_at":["cannot be a date in the past"]}}""")]
    [InlineData("""{"access_level":""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Update_InvalidParameters_Returns400AndChangesNothing(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, username) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", JsonBody(json));
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        AssertError(response, HttpStatusCode.BadRequest, expected);
        AssertMember(read.Body, userId, username, Guest);
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("USER")]
    [InlineData("abc")]
    public async Task Update_NotAMember_Returns404NotFound(string userId)
    {
        var projectId = await ProjectIdAsync(api);
        var (stranger, _) = await UserAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, $"{MembersPath(projectId)}/{userId.Replace("USER", stranger.ToString(), StringComparison.Ordinal)}", new { access_level = Developer });
        var listed = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, MembersPath(projectId));

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
        AssertPage(listed, page: 1, perPage: 20, total: 0);
    }

    [Theory]
    [InlineData("maintainer", Developer, Maintainer, HttpStatusCode.OK)]
    [InlineData("owner", Guest, Developer, HttpStatusCode.OK)]
    [InlineData("maintainer", Developer, Owner, HttpStatusCode.Forbidden)] // making an Owner: admin only, as for add
    [InlineData("maintainer", Owner, Developer, HttpStatusCode.Forbidden)] // changing an Owner: admin only, as for remove
    [InlineData("admin", Developer, Owner, HttpStatusCode.OK)]
    [InlineData("admin", Owner, Guest, HttpStatusCode.OK)]
    [InlineData("developer", Guest, Reporter, HttpStatusCode.Forbidden)]
    [InlineData("guest", Guest, Reporter, HttpStatusCode.Forbidden)]
    [InlineData("read_api", Guest, Reporter, HttpStatusCode.Forbidden)]
    [InlineData("nonmember", Guest, Reporter, HttpStatusCode.NotFound)]
    [InlineData("anonymous", Guest, Reporter, HttpStatusCode.Unauthorized)]
    [InlineData("garbage", Guest, Reporter, HttpStatusCode.Unauthorized)]
    public async Task Update_ByRole_MaintainerAndOwnerOnlyByAdmin(string role, int from, int to, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);
        var (userId, username) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = from }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Put, $"{MembersPath(projectId)}/{userId}", new { access_level = to });
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}/{userId}");

        AssertOutcome(response, expected);
        AssertMember(read.Body, userId, username, expected == HttpStatusCode.OK ? to : from);
    }

    /// <summary>A member object field by field (its id is the user's id, as in GitLab).</summary>
    private static void AssertMember(JsonNode? node, long userId, string username, int level, string? expiresAt = null)
    {
        var member = AssertFields(node, "id", "username", "name", "state", "access_level", "created_at", "expires_at", "web_url");
        Assert.Equal(userId, AssertId(member["id"]));
        Assert.Equal(username, AssertString(member["username"]));
        Assert.Equal(username, AssertString(member["name"]));
        Assert.Equal("active", AssertString(member["state"]));
        Assert.Equal(level, member["access_level"]!.GetValue<int>());
        AssertTimestamp(member["created_at"]);
        if (expiresAt is null)
        {
            AssertNull(member["expires_at"]);
        }
        else
        {
            Assert.Equal(expiresAt, AssertString(member["expires_at"]));
        }
        AssertWebUrl(member["web_url"], "/" + username);
    }

    private static string MembersPath(long projectId) => $"v4/projects/{projectId}/members";
}
