using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StatusChecks.Testing;

/// <summary>GitLab's access levels, as the members API takes them.</summary>
public static class AccessLevel
{
    public const int Guest = 10;
    public const int Reporter = 20;
    public const int Developer = 30;
    public const int Maintainer = 40;
    public const int Owner = 50;
}

/// <summary>The ways GitLab accepts parameters: a JSON body, a form body, or the query string.</summary>
public enum ParameterEncoding
{
    Json,
    Form,
    Query,
}

/// <summary>One answer: status, raw body text and headers (<paramref name="ContentType"/>: the whole header, parameters included).</summary>
public sealed record ApiResponse(HttpStatusCode Status, string Text, HttpResponseHeaders Headers, string? MediaType, string? ContentType = null)
{
    public JsonNode? Body => Text.Length == 0 ? null : JsonNode.Parse(Text);

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new KeyNotFoundException(name);

    /// <summary>For tests that take an answer apart: <c>var (status, body, response) = await GitLabApi.CallAsync(...)</c>.</summary>
    public void Deconstruct(out HttpStatusCode status, out JsonNode? body, out ApiResponse response) =>
        (status, body, response) = (Status, Body, this);
}

/// <summary>
/// The one client of the service's GitLab API for tests and benchmarks: arranges data through the real endpoints (a
/// project, users at given roles, each with their own token) and sends requests. <c>SendAsync</c> asserts the
/// status and returns the parsed object; <c>CallAsync</c>/<c>CallRawAsync</c> return the whole answer for the test to
/// judge. Assertions on the answers stay in the tests (and <see cref="RouteKit"/>).
/// </summary>
public sealed class GitLabApi(LocalHostInstance host)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
        var (userId, token) = await CreateMemberAsync(projectId, accessLevel, scopes);
        return (userId, As(token));
    }

    /// <summary>A new user made a member of the project; returns the user's id and their token.</summary>
    public async Task<(long UserId, string Token)> CreateMemberAsync(long projectId, int accessLevel, string[]? scopes = null)
    {
        var (userId, token) = await CreateUserAsync(scopes);
        await SendAsync(Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = accessLevel }, HttpStatusCode.Created);
        return (userId, token);
    }

    /// <summary>Sends JSON, asserts the status, returns the parsed object (or an empty one for 204; a list as "items").</summary>
    public static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        var response = await CallAsync(client, method, path, body);
        Assert.True(response.Status == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.Status} {response.Text}");
        return response.Body switch
        {
            null => [],
            JsonObject item => item,
            var other => new JsonObject { ["items"] = other },
        };
    }

    /// <summary>Sends <paramref name="parameters"/> (an anonymous object) encoded as asked; arrays become <c>name[]=</c> in forms.</summary>
    public static Task<ApiResponse> CallAsync(
        HttpClient client, HttpMethod method, string path, object? parameters = null, ParameterEncoding encoding = ParameterEncoding.Json) =>
        (parameters, encoding) switch
        {
            (null, _) => CallRawAsync(client, method, path),
            (_, ParameterEncoding.Json) => CallRawAsync(client, method, path, JsonContent.Create(parameters)),
            (_, ParameterEncoding.Form) => CallRawAsync(client, method, path, new FormUrlEncodedContent(Pairs(parameters))),
            _ => CallRawAsync(client, method, $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{Query(parameters)}"),
        };

    /// <summary>Sends any content (form, raw text, none) as it is.</summary>
    public static async Task<ApiResponse> CallRawAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await CallAsync(client, request);
    }

    /// <summary>Sends a request built by the test (its own headers, an exact URI) as it is.</summary>
    public static async Task<ApiResponse> CallAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return new ApiResponse(
            response.StatusCode,
            await response.Content.ReadAsStringAsync(),
            response.Headers,
            response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>A random commit sha (40 lower-case hex digits).</summary>
    public static string Sha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static IEnumerable<KeyValuePair<string, string>> Pairs(object parameters)
    {
        foreach (var (name, value) in JsonSerializer.SerializeToNode(parameters)!.AsObject())
        {
            if (value is JsonArray array)
            {
                foreach (var item in array)
                {
                    yield return new(name + "[]", Text(item));
                }
            }
            else
            {
                yield return new(name, Text(value));
            }
        }
    }

    private static string Query(object parameters) =>
        string.Join('&', Pairs(parameters).Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));

    private static string Text(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(), // numbers, true/false as JSON writes them
    };
}
