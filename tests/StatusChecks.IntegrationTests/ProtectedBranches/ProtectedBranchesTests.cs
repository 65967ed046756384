using System.Net;
using System.Text.Json.Nodes;
using static StatusChecks.Testing.AccessLevel;
using static StatusChecks.Testing.RouteKit;

namespace StatusChecks.IntegrationTests.ProtectedBranches;

/// <summary>GET/POST /projects/:id/protected_branches and GET/DELETE /projects/:id/protected_branches/:name (docs/API.md (Resources)).</summary>
[Collection(ServiceCollection.Name)]
public sealed class ProtectedBranchesTests(ServiceFixture service)
{
    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData("main", ParameterEncoding.Json)]
    [InlineData("release/*", ParameterEncoding.Json)]
    [InlineData("release/*", ParameterEncoding.Form)]
    [InlineData("feature/a b+c%d", ParameterEncoding.Query)]
    public async Task Create_AsMaintainer_Returns201Branch(string name, ParameterEncoding encoding)
    {
        var projectId = await ProjectIdAsync(api);
        var maintainer = await api.MemberAsync(projectId, Maintainer);

        var response = await GitLabApi.CallAsync(maintainer, HttpMethod.Post, BranchesPath(projectId), new { name }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertBranch(response.Body, projectId, name);
    }

    [Fact]
    public async Task Create_SameNameTwice_Returns409()
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "main" }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "main" });

        AssertError(response, HttpStatusCode.Conflict, """{"message":"Protected branch 'main' already exists"}""");
    }

    [Fact]
    public async Task Create_SameNameInAnotherProject_IsAllowed()
    {
        var first = await ProjectIdAsync(api);
        var second = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(first), new { name = "main" }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, BranchesPath(second), new { name = "main" });

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertBranch(response.Body, second, "main");
    }

    [Theory]
    [InlineData("{}", """{"error":"name is missing"}""")]
    [InlineData("""{"name":""}""", """{"error":"name is invalid"}""")]
    [InlineData("""{"name":7}""", """{"error":"name is invalid"}""")]
    [InlineData("""{"name":"a\u0007b"}""", """{"error":"name is invalid"}""")]
    [InlineData("""{"name":"main"}}""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Create_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Create_TooLongName_Returns400()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = new string('b', 256) });

        AssertError(response, HttpStatusCode.BadRequest, """{"error":"name is invalid"}""");
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.Created)]
    [InlineData("owner", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Create_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, BranchesPath(projectId), new { name = "main" });

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task List_ThreeBranchesTwoPerPage_PaginatesAndKeepsOtherQueryParameters()
    {
        var projectId = await ProjectIdAsync(api);
        var names = new[] { "main", "release/*", "hotfix-*" };
        foreach (var name in names)
        {
            await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name }, HttpStatusCode.Created);
        }

        var first = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId) + "?per_page=2");
        var second = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId) + "?page=2&per_page=2");

        AssertPage(first, page: 1, perPage: 2, total: 3);
        AssertPage(second, page: 2, perPage: 2, total: 3);
        var listed = Items(first).Concat(Items(second)).ToList();
        Assert.Equal(names.Order(), listed.Select(branch => branch!["name"]!.GetValue<string>()).Order());
        foreach (var branch in listed)
        {
            AssertBranch(branch, projectId, branch!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task List_Empty_ReturnsEmptyArrayWithOnePage()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId));

        AssertPage(response, page: 1, perPage: 20, total: 0);
        Assert.Empty(Items(response));
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("reporter", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task List_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, BranchesPath(projectId));

        AssertOutcome(response, expected);
    }

    [Theory]
    [InlineData("main", "main")]
    [InlineData("release/*", "release%2F*")]
    [InlineData("release/*", "release%2F%2A")]
    [InlineData("feature/a b+c%d", "feature%2Fa%20b%2Bc%25d")]
    public async Task Delete_UrlEncodedName_Returns204AndRemovesOnlyThatBranch(string name, string encoded)
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name }, HttpStatusCode.Created);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "keep" }, HttpStatusCode.Created);

        var deleted = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{BranchesPath(projectId)}/{encoded}");
        var again = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{BranchesPath(projectId)}/{encoded}");
        var remaining = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId));

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(deleted.Text);
        AssertError(again, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
        Assert.Equal(["keep"], Items(remaining).Select(branch => branch!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_PatternName_DoesNotDeleteBranchesItMatches()
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "release/1" }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{BranchesPath(projectId)}/release%2F*");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Fact]
    public async Task Delete_UnknownProject_Returns404ProjectNotFound()
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, "v4/projects/999999999999/protected_branches/main");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.NoContent)]
    [InlineData("admin", HttpStatusCode.NoContent)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Delete_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "main" }, HttpStatusCode.Created);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Delete, $"{BranchesPath(projectId)}/main");
        var remaining = Items(await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId))).Count;

        AssertOutcome(response, expected);
        Assert.Equal(expected == HttpStatusCode.NoContent ? 0 : 1, remaining);
    }

    [Theory]
    [InlineData("main", "main")]
    [InlineData("release/*", "release%2F*")]
    [InlineData("release/*", "release%2f%2A")]
    [InlineData("feature/a b+c%d", "feature%2Fa%20b%2Bc%25d")]
    public async Task Get_UrlEncodedName_ReturnsThatBranch(string name, string encoded)
    {
        var projectId = await ProjectIdAsync(api);
        var created = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name }, HttpStatusCode.Created);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "keep" }, HttpStatusCode.Created);
        var maintainer = await api.MemberAsync(projectId, Maintainer);

        var response = await GitLabApi.CallAsync(maintainer, HttpMethod.Get, $"{BranchesPath(projectId)}/{encoded}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        AssertBranch(response.Body, projectId, name);
        Assert.True(JsonNode.DeepEquals(created, response.Body), response.Text);
    }

    [Fact]
    public async Task GetAndDelete_PercentEncodedPercent_NameIsDecodedExactlyOnce()
    {
        var projectId = await ProjectIdAsync(api);
        var literal = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "feat%41" }, HttpStatusCode.Created);
        var decoded = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "featA" }, HttpStatusCode.Created);

        var once = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{BranchesPath(projectId)}/feat%2541");
        var plain = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{BranchesPath(projectId)}/feat%41");
        var deleted = await GitLabApi.CallAsync(api.Admin, HttpMethod.Delete, $"{BranchesPath(projectId)}/feat%2541");
        var remaining = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, BranchesPath(projectId));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (once.Status, plain.Status));
        Assert.True(JsonNode.DeepEquals(literal, once.Body), once.Text);
        Assert.True(JsonNode.DeepEquals(decoded, plain.Body), plain.Text);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(["featA"], Items(remaining).Select(branch => branch!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("develop")]
    [InlineData("release%2F1")] // a wildcard's name must be given exactly; a branch it matches is not it
    [InlineData("MAIN")]
    [InlineData("main%252F..")]
    public async Task Get_UnknownName_Returns404NotFound(string encoded)
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "main" }, HttpStatusCode.Created);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "release/*" }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{BranchesPath(projectId)}/{encoded}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
    }

    [Fact]
    public async Task Get_BranchOfAnotherProject_Returns404NotFound()
    {
        var projectId = await ProjectIdAsync(api);
        var otherId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(otherId), new { name = "only-there" }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"{BranchesPath(projectId)}/only-there");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Not found"}""");
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
    public async Task Get_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, BranchesPath(projectId), new { name = "main" }, HttpStatusCode.Created);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, $"{BranchesPath(projectId)}/main");

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Get_UnknownProject_Returns404ProjectNotFound()
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, "v4/projects/999999999999/protected_branches/main");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
    }

    /// <summary>A protected branch object field by field.</summary>
    internal static void AssertBranch(JsonNode? node, long projectId, string name)
    {
        var branch = AssertFields(node, "id", "project_id", "name", "created_at", "updated_at", "code_owner_approval_required");
        AssertId(branch["id"]);
        Assert.Equal(projectId, branch["project_id"]!.GetValue<long>());
        Assert.Equal(name, AssertString(branch["name"]));
        AssertTimestamp(branch["created_at"]);
        AssertTimestamp(branch["updated_at"]);
        Assert.False(branch["code_owner_approval_required"]!.GetValue<bool>());
    }

    private static string BranchesPath(long projectId) => $"v4/projects/{projectId}/protected_branches";
}
