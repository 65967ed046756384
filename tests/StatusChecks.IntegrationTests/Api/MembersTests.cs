using System.Net;
using System.Text.Json.Nodes;
using static StatusChecks.IntegrationTests.Api.RouteKit;

namespace StatusChecks.IntegrationTests.Api;

/// <summary>GET/POST /projects/:id/members and DELETE /projects/:id/members/:user_id (SPEC section 4).</summary>
[Collection(ServiceCollection.Name)]
public sealed class MembersTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service);

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Add_AsMaintainer_Returns201Member(ParameterEncoding encoding)
    {
        var projectId = await ProjectIdAsync(api);
        var maintainer = await api.MemberAsync(projectId, Maintainer);
        var (userId, username) = await UserAsync(api);

        var response = await SendAsync(maintainer, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Developer }, encoding);

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

        var first = await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2");
        var second = await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2&page=2");
        var beyond = await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=2&page=3");

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

        var response = await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId));

        AssertPage(response, page: 1, perPage: 20, total: 0);
        Assert.Empty(Items(response));
    }

    [Theory]
    [InlineData("per_page=0", """{"error":"per_page does not have a valid value"}""")]
    [InlineData("page=abc", """{"error":"page is invalid"}""")]
    public async Task List_InvalidParameters_Returns400(string query, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await SendAsync(api.Admin, HttpMethod.Get, $"{MembersPath(projectId)}?{query}");

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

        var response = await SendAsync(client, HttpMethod.Get, MembersPath(projectId));

        AssertOutcome(response, expected);
    }

    [Theory]
    [InlineData("""{"access_level":30}""", """{"error":"user_id is missing"}""")]
    [InlineData("""{"user_id":USER}""", """{"error":"access_level is missing"}""")]
    [InlineData("""{"user_id":"abc","access_level":30}""", """{"error":"user_id is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":"abc"}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":35}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,"access_level":0}""", """{"error":"access_level is invalid"}""")]
    [InlineData("""{"user_id":USER,""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Add_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, _) = await UserAsync(api);

        var response = await SendRawAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), JsonBody(json.Replace("USER", userId.ToString(), StringComparison.Ordinal)));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Add_UnknownUser_Returns404UserNotFound()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = 999999999999, access_level = Developer });

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }

    [Fact]
    public async Task Add_AlreadyMember_Returns409()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, _) = await UserAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);

        var response = await SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Maintainer });

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

        var response = await SendAsync(client, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = level });

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Remove_Member_Returns204AndRevokesAccess()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, MembersPath(projectId), new { user_id = userId, access_level = Reporter }, HttpStatusCode.Created);
        var before = await SendAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");

        var removed = await SendAsync(api.Admin, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");
        var after = await SendAsync(api.As(token), HttpMethod.Get, $"v4/projects/{projectId}");
        var listed = await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId));

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
    public async Task Remove_NotAMember_Returns404MemberNotFound(string userId)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await SendAsync(api.Admin, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Member Not Found"}""");
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

        var response = await SendAsync(client, HttpMethod.Delete, $"{MembersPath(projectId)}/{userId}");
        var stillMember = (await SendAsync(api.Admin, HttpMethod.Get, MembersPath(projectId) + "?per_page=100")).Body!.AsArray()
            .Any(member => member!["id"]!.GetValue<long>() == userId);

        AssertOutcome(response, expected);
        Assert.Equal(expected != HttpStatusCode.NoContent, stillMember);
    }

    /// <summary>A member object field by field (its id is the user's id, as in GitLab).</summary>
    private static void AssertMember(JsonNode? node, long userId, string username, int level)
    {
        var member = AssertFields(node, "id", "username", "name", "state", "access_level", "created_at", "expires_at", "web_url");
        Assert.Equal(userId, AssertId(member["id"]));
        Assert.Equal(username, AssertString(member["username"]));
        Assert.Equal(username, AssertString(member["name"]));
        Assert.Equal("active", AssertString(member["state"]));
        Assert.Equal(level, member["access_level"]!.GetValue<int>());
        AssertTimestamp(member["created_at"]);
        AssertNull(member["expires_at"]);
        AssertWebUrl(member["web_url"], "/" + username);
    }

    private static string MembersPath(long projectId) => $"v4/projects/{projectId}/members";
}
