using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using StatusChecks.Testing;

namespace StatusChecks.IntegrationTests.Api;

/// <summary>
/// A thin client over the service's GitLab API for arranging test data through the real endpoints: a project
/// with users at given roles, each with their own token. Assertions stay in the tests.
/// </summary>
public sealed class GitLabApi(LocalHostInstance host)
{
    public GitLabApi(ServiceFixture service)
        : this(service.Host)
    {
    }

    public HttpClient Admin { get; } = host.CreateClient(host.AdminToken);

    public HttpClient Anonymous { get; } = host.CreateClient();

    public HttpClient As(string token) => host.CreateClient(token);

    /// <summary>A fresh project (unique name) created by the admin.</summary>
    public async Task<JsonObject> CreateProjectAsync(string? name = null)
    {
        name ??= "project-" + Guid.NewGuid().ToString("N")[..12];
        return await SendAsync(Admin, HttpMethod.Post, "v4/projects", new { name }, HttpStatusCode.Created);
    }

    /// <summary>A new user with an <c>api</c> (or given scopes) token; returns the user id and the token.</summary>
    public async Task<(long UserId, string Token)> CreateUserAsync(string[]? scopes = null)
    {
        var username = "user-" + Guid.NewGuid().ToString("N")[..12];
        var user = await SendAsync(Admin, HttpMethod.Post, "v4/users", new { username, name = username, email = $"{username}@example.com" }, HttpStatusCode.Created);
        var userId = user["id"]!.GetValue<long>();
        var token = await SendAsync(Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "tests", scopes = scopes ?? ["api"] }, HttpStatusCode.Created);
        return (userId, token["token"]!.GetValue<string>());
    }

    /// <summary>A new user who is a member of the project at <paramref name="accessLevel"/>; returns their client.</summary>
    public async Task<HttpClient> MemberAsync(long projectId, int accessLevel, string[]? scopes = null) =>
        (await AddMemberAsync(projectId, accessLevel, scopes)).Client;

    /// <summary>A new user made a member of the project; returns the user's id and a client with their token.</summary>
    public async Task<(long UserId, HttpClient Client)> AddMemberAsync(long projectId, int accessLevel, string[]? scopes = null)
    {
        var (userId, token) = await CreateUserAsync(scopes);
        await SendAsync(Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = accessLevel }, HttpStatusCode.Created);
        return (userId, As(token));
    }

    /// <summary>Sends JSON, asserts the status, returns the parsed object (or an empty one for 204).</summary>
    public static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["items"] = JsonNode.Parse(text) };
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> CallAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static string Sha() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
