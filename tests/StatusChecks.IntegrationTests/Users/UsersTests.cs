using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using static StatusChecks.Testing.AccessLevel;
using static StatusChecks.Testing.RouteKit;

namespace StatusChecks.IntegrationTests.Users;

/// <summary>POST /users, POST /users/:user_id/personal_access_tokens, GET /user, GET /users/:id and GET /version (docs/API.md (Resources)).</summary>
[Collection(ServiceCollection.Name)]
public sealed class UsersTests(ServiceFixture service)
{
    private static readonly string[] ApiScope = ["api"];
    private static readonly string[] BothScopes = ["api", "read_api"];

    // GitLab's API::Entities::User keys (GET /users/:id) and UserPublic's (GET /user); email only for oneself.
    private static readonly string[] ProfileFields =
    [
        "id", "username", "name", "state", "locked", "avatar_url", "web_url", "created_at", "bio", "location", "public_email", "skype",
        "linkedin", "twitter", "discord", "website_url", "organization", "job_title", "pronouns", "bot", "work_information", "followers",
        "following", "local_time",
    ];

    private static readonly string[] AccountFields =
    [
        .. ProfileFields, "last_sign_in_at", "confirmed_at", "last_activity_on", "email", "theme_id", "color_scheme_id", "projects_limit",
        "current_sign_in_at", "identities", "can_create_group", "can_create_project", "two_factor_enabled", "external", "private_profile", "commit_email",
    ];

    private readonly GitLabApi api = new(service.Host);

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task CreateUser_AsAdmin_Returns201User(ParameterEncoding encoding)
    {
        var username = "ann-" + Unique();

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/users", new { username, name = "Ann Example", email = $"{username}@example.com" }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var user = AssertFields(response.Body, "id", "username", "name", "email", "state", "created_at", "web_url", "is_admin");
        AssertId(user["id"]);
        Assert.Equal(username, AssertString(user["username"]));
        Assert.Equal("Ann Example", AssertString(user["name"]));
        Assert.Equal($"{username}@example.com", AssertString(user["email"]));
        Assert.Equal("active", AssertString(user["state"]));
        AssertTimestamp(user["created_at"]);
        AssertWebUrl(user["web_url"], "/" + username);
        Assert.False(user["is_admin"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("username", """{"message":"Username has already been taken"}""")]
    [InlineData("email", """{"message":"Email has already been taken"}""")]
    public async Task CreateUser_UsernameOrEmailTaken_Returns409(string field, string expected)
    {
        var username = "dup-" + Unique();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, "v4/users", new { username, name = "first", email = $"{username}@example.com" }, HttpStatusCode.Created);
        var other = "other-" + Unique();

        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/users", field == "username"
            ? new { username = username.ToUpperInvariant(), name = "second", email = $"{other}@example.com" }
            : new { username = other, name = "second", email = $"{username}@example.com" });

        AssertError(response, HttpStatusCode.Conflict, expected);
    }

    [Theory]
    [InlineData("""{"name":"n","email":"a@example.com"}""", """{"error":"username is missing"}""")]
    [InlineData("""{"username":"u","email":"a@example.com"}""", """{"error":"name is missing"}""")]
    [InlineData("""{"username":"u","name":"n"}""", """{"error":"email is missing"}""")]
    [InlineData("""{"username":"u","name":"n","email":"not-an-email"}""", """{"message":{"email":["is invalid"]}}""")]
    [InlineData("""{"username":"-u","name":"n","email":"a@example.com"}""", """{"message":{"username":["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'."]}}""")]
    [InlineData("""{"username":"u","name":"","email":"a@example.com"}""", """{"message":{"name":["can't be blank"]}}""")]
    [InlineData("""{"username":["u"],"name":"n","email":"a@example.com"}""", """{"error":"username is invalid"}""")]
    [InlineData("""{"username":"u",""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task CreateUser_InvalidParameters_Returns400(string json, string expected)
    {
        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, "v4/users", JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task CreateUser_NotAdmin_IsRefused(string role, HttpStatusCode expected)
    {
        var client = await ClientAsync(api, await ProjectIdAsync(api), role);
        var username = "u-" + Unique();

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, "v4/users", new { username, name = "n", email = $"{username}@example.com" });

        AssertOutcome(response, expected);
    }

    [Theory]
    [InlineData(ParameterEncoding.Json)]
    [InlineData(ParameterEncoding.Form)]
    [InlineData(ParameterEncoding.Query)]
    public async Task CreateToken_AsAdmin_Returns201WithTokenOnce(ParameterEncoding encoding)
    {
        var userId = await UserIdAsync();
        var expiresAt = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");

        var response = await GitLabApi.CallAsync(
            api.Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "ci", scopes = BothScopes, expires_at = expiresAt }, encoding);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var token = AssertFields(response.Body, "id", "name", "revoked", "created_at", "scopes", "user_id", "last_used_at", "active", "expires_at", "token");
        AssertId(token["id"]);
        Assert.Equal("ci", AssertString(token["name"]));
        Assert.False(token["revoked"]!.GetValue<bool>());
        AssertTimestamp(token["created_at"]);
        Assert.Equal(["api", "read_api"], token["scopes"]!.AsArray().Select(AssertString));
        Assert.Equal(userId, token["user_id"]!.GetValue<long>());
        AssertNull(token["last_used_at"]);
        Assert.True(token["active"]!.GetValue<bool>());
        Assert.Equal(expiresAt, AssertString(token["expires_at"]));
        Assert.True(AssertString(token["token"]).Length >= 20);
    }

    [Fact]
    public async Task CreateToken_WithoutExpiry_ExpiresAtNullAndTokenAuthenticates()
    {
        var projectId = await ProjectIdAsync(api);
        var userId = await UserIdAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = Guest }, HttpStatusCode.Created);

        var created = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "ci", scopes = ApiScope });
        var asUser = await GitLabApi.CallAsync(api.As(AssertString(created.Body!["token"])), HttpMethod.Get, $"v4/projects/{projectId}");

        AssertNull(created.Body!["expires_at"]);
        Assert.Equal(HttpStatusCode.OK, asUser.Status);
    }

    [Fact]
    public async Task CreateToken_Plaintext_IsNeverStored()
    {
        var (_, token) = await api.CreateUserAsync();

        var stored = new List<string>();
        await foreach (var table in service.Tables.QueryAsync())
        {
            await foreach (var entity in service.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                stored.Add(entity.PartitionKey);
                stored.Add(entity.RowKey);
                stored.AddRange(entity.Select(property => property.Value?.ToString() ?? string.Empty));
            }
        }

        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, value => value.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"scopes":["api"]}""", """{"error":"name is missing"}""")]
    [InlineData("""{"name":"ci"}""", """{"error":"scopes is missing"}""")]
    [InlineData("""{"name":"ci","scopes":[]}""", """{"error":"scopes is missing"}""")]
    [InlineData("""{"name":"ci","scopes":["write_repository"]}""", """{"error":"scopes is invalid"}""")]
    [InlineData("""{"name":"ci","scopes":[1]}""", """{"error":"scopes is invalid"}""")]
    [InlineData("""{"name":"ci","scopes":["api"],"expires_at":"tomorrow"}""", """{"error":"expires_at is invalid"}""")]
    [InlineData("""{"name":"ci","scopes":["api"],"expires_at":"2001-01-01"}""", """{"message":{"expires_at":["must not be in the past"]}}""")]
    [InlineData("""{"name":""", """{"message":"400 Bad request - malformed JSON"}""")]
    public async Task CreateToken_InvalidParameters_Returns400(string json, string expected)
    {
        var userId = await UserIdAsync();

        var response = await GitLabApi.CallRawAsync(api.Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", JsonBody(json));

        AssertError(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task CreateToken_UnknownUser_Returns404UserNotFound(string userId)
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "ci", scopes = ApiScope });

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }

    [Theory]
    [InlineData("maintainer", HttpStatusCode.Forbidden)]
    [InlineData("read_api", HttpStatusCode.Forbidden)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("garbage", HttpStatusCode.Unauthorized)]
    public async Task CreateToken_NotAdmin_IsRefused(string role, HttpStatusCode expected)
    {
        var client = await ClientAsync(api, await ProjectIdAsync(api), role);
        var userId = await UserIdAsync();

        var response = await GitLabApi.CallAsync(client, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "ci", scopes = ApiScope });

        AssertOutcome(response, expected);
    }

    [Fact]
    public async Task ReadApiToken_OnAnyWrite_Returns403()
    {
        var projectId = await ProjectIdAsync(api);
        var readOnly = await api.MemberAsync(projectId, Maintainer, ["read_api"]);

        var read = await GitLabApi.CallAsync(readOnly, HttpMethod.Get, $"v4/projects/{projectId}");
        var write = await GitLabApi.CallAsync(readOnly, HttpMethod.Post, $"v4/projects/{projectId}/protected_branches", new { name = "main" });

        Assert.Equal(HttpStatusCode.OK, read.Status);
        AssertError(write, HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("read_api")]
    public async Task GetCurrentUser_UserToken_ReturnsTheTokensUser(string scope)
    {
        var username = "me-" + Unique();
        var created = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, "v4/users", new { username, name = "Me Example", email = $"{username}@example.com" }, HttpStatusCode.Created);
        var userId = created["id"]!.GetValue<long>();
        var token = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "t", scopes = new[] { scope } }, HttpStatusCode.Created);

        var response = await GitLabApi.CallAsync(api.As(token["token"]!.GetValue<string>()), HttpMethod.Get, "v4/user");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var user = AssertFields(response.Body, AccountFields);
        Assert.Equal(userId, AssertId(user["id"]));
        Assert.Equal(username, AssertString(user["username"]));
        Assert.Equal("Me Example", AssertString(user["name"]));
        Assert.Equal("active", AssertString(user["state"]));
        Assert.Equal($"{username}@example.com", AssertString(user["email"]));
        Assert.Equal($"{username}@example.com", AssertString(user["commit_email"]));
        Assert.Equal(created["created_at"]!.GetValue<string>(), AssertString(user["created_at"]));
        // Under the URL the client was given (python-gitlab's auth() warns otherwise): the local host's own address.
        Assert.Equal($"http://127.0.0.1:{service.Host.Port}/{username}", AssertString(user["web_url"]));
        AssertNull(user["avatar_url"]);
        Assert.Equal(JsonValueKind.Array, user["identities"]!.GetValueKind());
        Assert.False(user["can_create_project"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetCurrentUser_AdminToken_IsTheAdministratorUser1()
    {
        var first = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, "v4/user");
        var second = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, "v4/user");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var admin = AssertFields(first.Body, [.. AccountFields, "is_admin"]);
        Assert.Equal(1, AssertId(admin["id"]));
        Assert.Equal("root", AssertString(admin["username"]));
        Assert.Equal("Administrator", AssertString(admin["name"]));
        Assert.True(admin["is_admin"]!.GetValue<bool>());
        Assert.True(admin["can_create_project"]!.GetValue<bool>());
        AssertNull(admin["email"]);
        AssertTimestamp(admin["created_at"]);
        Assert.Equal(first.Text, second.Text); // a stable record, created_at included
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("garbage")]
    public async Task GetCurrentUser_NoValidToken_Returns401(string role)
    {
        var response = await GitLabApi.CallAsync(await ClientAsync(api, 0, role), HttpMethod.Get, "v4/user");

        AssertOutcome(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetUser_AnotherUserAsUser_ReturnsPublicProfileWithoutEmail()
    {
        var (userId, username) = await UserAsync(api);
        var (_, token) = await api.CreateUserAsync(["read_api"]);

        var response = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, $"v4/users/{userId}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var user = AssertFields(response.Body, ProfileFields);
        Assert.Equal(userId, AssertId(user["id"]));
        Assert.Equal(username, AssertString(user["username"]));
        Assert.Equal("active", AssertString(user["state"]));
        AssertTimestamp(user["created_at"]);
        AssertWebUrl(user["web_url"], "/" + username);
        Assert.False(user["bot"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetUser_Id1_IsTheAdministrator()
    {
        var (_, token) = await api.CreateUserAsync();

        var response = await GitLabApi.CallAsync(api.As(token), HttpMethod.Get, "v4/users/1");
        var current = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, "v4/user");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var admin = AssertFields(response.Body, ProfileFields);
        Assert.Equal(("root", "Administrator"), (AssertString(admin["username"]), AssertString(admin["name"])));
        Assert.Equal(current.Body!["created_at"]!.GetValue<string>(), AssertString(admin["created_at"]));
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task GetUser_UnknownOrGarbageId_Returns404UserNotFound(string id)
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Get, $"v4/users/{id}");

        AssertError(response, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("garbage")]
    public async Task GetUser_NoValidToken_Returns401(string role)
    {
        var (userId, _) = await UserAsync(api);

        var response = await GitLabApi.CallAsync(await ClientAsync(api, 0, role), HttpMethod.Get, $"v4/users/{userId}");

        AssertOutcome(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("ROOT")]
    public async Task CreateUser_AdministratorsUsername_Returns409(string username)
    {
        var response = await GitLabApi.CallAsync(api.Admin, HttpMethod.Post, "v4/users", new { username, name = "n", email = $"root-{Unique()}@example.com" });

        AssertError(response, HttpStatusCode.Conflict, """{"message":"Username has already been taken"}""");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("read_api")]
    public async Task GetVersion_AnyToken_ReturnsThisBuildsVersionAndCommit(string role)
    {
        var client = await ClientAsync(api, await ProjectIdAsync(api), role);

        var response = await GitLabApi.CallAsync(client, HttpMethod.Get, "v4/version");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var version = AssertFields(response.Body, "version", "revision");
        var props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
        Assert.Equal(Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value, AssertString(version["version"]));
        Assert.Equal(await GitHeadAsync() ?? "unknown", AssertString(version["revision"]));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("garbage")]
    public async Task GetVersion_NoValidToken_Returns401(string role)
    {
        var response = await GitLabApi.CallAsync(await ClientAsync(api, 0, role), HttpMethod.Get, "v4/version");

        AssertOutcome(response, HttpStatusCode.Unauthorized);
    }

    /// <summary>The commit the build was made from, or null without git (the build then has no commit either).</summary>
    private static async Task<string?> GitHeadAsync()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "HEAD"]) { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true })!;
            var head = (await git.StandardOutput.ReadToEndAsync()).Trim();
            await git.WaitForExitAsync();
            return git.ExitCode == 0 && head.Length > 0 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private async Task<long> UserIdAsync() => (await UserAsync(api)).Id;
}
