using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static StatusChecks.Testing.AccessLevel;
using static StatusChecks.Testing.RouteKit;

namespace StatusChecks.IntegrationTests.Projects;

/// <summary>POST /projects, GET /projects/:id, PUT /projects/:id (docs/API.md (Resources)).</summary>
[Collection(ServiceCollection.Name)]
public sealed class ProjectsTests(ServiceFixture service)
{
    private const string OnlyAllowMerge = "only_allow_merge_if_all_status_checks_passed";

    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Create_AsAdmin_Returns201ProjectWithPathFromName(ParameterEncoding encoding)
    {
        var suffix = Unique();
        var name = $"My Project {suffix}";

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/projects", new { name }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertProject(response.Body, name, $"root/my-project-{suffix}");
    }

    [Fact]
    public async Task Create_WithPathAndNamespace_UsesBoth()
    {
        var path = "svc_" + Unique();

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/projects", new { name = "Service", path, @namespace = "group/sub" });

        Assert.Equal(HttpStatusCode.Created, response.Status);
        AssertProject(response.Body, "Service", $"group/sub/{path}");
    }

    [Fact]
    public async Task Create_TwoProjects_GetDistinctIncreasingIds()
    {
        var first = AssertId((await api.CreateProjectAsync())["id"]);
        var second = AssertId((await api.CreateProjectAsync())["id"]);

        Assert.True(second > first, $"{second} <= {first}");
    }

    [Fact]
    public async Task Create_PathTaken_Returns400PathTaken()
    {
        var path = "taken-" + Unique();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, "v4/projects", new { name = "first", path }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/projects", new { name = "second", path = path.ToUpperInvariant() });

        AssertError(response, HttpStatusCode.BadRequest, """{"message":{"path":["has already been taken"]}}""");
    }

    [Theory]
    [InlineData("{}", """{"error":"name is missing"}""")]
    [InlineData("""{"name":5}""", """{"error":"name is invalid"}""")]
    [InlineData("""{"name":"  "}""", """{"message":{"name":["can't be blank"]}}""")]
    [InlineData("""{"name":"x","path":"-dash"}""", """{"message":{"path":["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'"]}}""")]
    [InlineData("""{"name":"x","namespace":"a//b"}""", """{"message":{"namespace":["can't be blank"]}}""")]
    [InlineData("""{"name":""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Create_InvalidParameters_Returns400(string json, string expected)
    {
        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, "v4/projects", JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("maintainer", HttpStatusCode.Forbidden)]
    [InlineData("owner", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Create_ByRole_OnlyAdmin(string role, HttpStatusCode expected)
    {
        var client = await ClientAsync(api, await ProjectIdAsync(api), role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, "v4/projects", new { name = "p-" + Unique() });

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Get_ByIdAndByEncodedPath_ReturnsSameProject()
    {
        var created = await api.CreateProjectAsync();
        var fullPath = created["path_with_namespace"]!.GetValue<string>();

        var byId = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{created["id"]}");
        var byPath = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{Uri.EscapeDataString(fullPath)}");

        AssertProject(byId.Body, created["name"]!.GetValue<string>(), fullPath);
        Assert.True(JsonNode.DeepEquals(created, byId.Body), byId.Text);
        Assert.True(JsonNode.DeepEquals(byId.Body, byPath.Body), byPath.Text);
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("root%2Fno-such-project")]
    [InlineData("99999999999999999999999")]
    public async Task Get_UnknownOrGarbageId_Returns404ProjectNotFound(string id)
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{id}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
    }

    [Theory]
    [InlineData("guest", HttpStatusCode.OK)]
    [InlineData("reporter", HttpStatusCode.OK)]
    [InlineData("read_api", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Get_ByRole_GuestAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, $"v4/projects/{projectId}");

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task Get_TokenAsQueryParameterOrBearer_IsAccepted()
    {
        var projectId = await ProjectIdAsync(api);
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);
        using var bearer = service.Host.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var byQuery = await GitLabApi.CallAsync(api.Anonymous, HttpMethod.Get, $"v4/projects/{projectId}?private_token={token}");
        var byBearer = await GitLabApi.CallAsync(bearer, HttpMethod.Get, $"v4/projects/{projectId}");

        Assert.Equal(HttpStatusCode.OK, byQuery.Status);
        Assert.Equal(HttpStatusCode.OK, byBearer.Status);
        Assert.Equal(projectId, byQuery.Body!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Get_UndeclaredQueryParameter_IsIgnored()
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{projectId}?statistics=true&license=maybe");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(projectId, response.Body!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Update_UndeclaredAttributes_AreIgnoredAndChangeNothing()
    {
        var created = await api.CreateProjectAsync();
        var path = $"v4/projects/{created["id"]}";

        var updated = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Put, path, JsonBody("""{"only_allow_merge_if_all_status_checks_passed":true,"name":"renamed","visibility":"public"}"""));
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        AssertProject(read.Body, created["name"]!.GetValue<string>(), created["path_with_namespace"]!.GetValue<string>(), onlyAllowMerge: true);
    }

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task Update_OnlyAllowMerge_IsStoredAndReturned(ParameterEncoding encoding)
    {
        var created = await api.CreateProjectAsync();
        var path = $"v4/projects/{created["id"]}";
        var fullPath = created["path_with_namespace"]!.GetValue<string>();

        var enabled = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, path, new Dictionary<string, object> { [OnlyAllowMerge] = true }, encoding);
        var read = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, path);
        var disabled = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, path, new Dictionary<string, object> { [OnlyAllowMerge] = false }, encoding);

        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        AssertProject(enabled.Body, created["name"]!.GetValue<string>(), fullPath, onlyAllowMerge: true);
        AssertProject(read.Body, created["name"]!.GetValue<string>(), fullPath, onlyAllowMerge: true);
        AssertProject(disabled.Body, created["name"]!.GetValue<string>(), fullPath, onlyAllowMerge: false);
    }

    [Theory]
    [InlineData("{}", """{"error":"only_allow_merge_if_all_status_checks_passed are missing, at least one parameter must be provided"}""")]
    [InlineData("""{"only_allow_merge_if_all_status_checks_passed":"maybe"}""", """{"error":"only_allow_merge_if_all_status_checks_passed is invalid"}""")]
    [InlineData("""{"only_allow_merge_if_all_status_checks_passed":[true]}""", """{"error":"only_allow_merge_if_all_status_checks_passed is invalid"}""")]
    [InlineData("[true]", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task Update_InvalidParameters_Returns400(string json, string expected)
    {
        var projectId = await ProjectIdAsync(api);

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Put, $"v4/projects/{projectId}", JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Update_UnknownProject_Returns404()
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Put, "v4/projects/999999999999", new Dictionary<string, object> { [OnlyAllowMerge] = true });

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}""");
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.OK)]
    [InlineData("owner", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("developer", HttpStatusCode.Forbidden)]
    [InlineData("guest", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("nonmember", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task Update_ByRole_MaintainerAndAbove(string role, HttpStatusCode expected)
    {
        var projectId = await ProjectIdAsync(api);
        var client = await ClientAsync(api, projectId, role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Put, $"v4/projects/{projectId}", new Dictionary<string, object> { [OnlyAllowMerge] = true });
        var stored = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/projects/{projectId}");

        AssertOutcome(response, expected);
        Assert.Equal(expected == HttpStatusCode.OK, stored.Body![OnlyAllowMerge]!.GetValue<bool>()); // a refusal changes nothing
    }

    /// <summary>A project object field by field.</summary>
    internal static void AssertProject(JsonNode? node, string name, string pathWithNamespace, bool onlyAllowMerge = false)
    {
        var project = AssertFields(node, "id", "name", "path", "path_with_namespace", "created_at", "web_url", OnlyAllowMerge);
        AssertId(project["id"]);
        Assert.Equal(name, AssertString(project["name"]));
        Assert.Equal(pathWithNamespace[(pathWithNamespace.LastIndexOf('/') + 1)..], AssertString(project["path"]));
        Assert.Equal(pathWithNamespace, AssertString(project["path_with_namespace"]));
        AssertTimestamp(project["created_at"]);
        AssertWebUrl(project["web_url"], "/" + pathWithNamespace);
        Assert.Equal(onlyAllowMerge, project[OnlyAllowMerge]!.GetValue<bool>());
    }
}
