using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StatusChecks.Testing;

/// <summary>
/// Shared by the route tests: callers at each role, unique names, and the assertions every route repeats (GitLab's
/// error bodies, exact field sets, ids, timestamps, pagination headers). Requests go through <see cref="GitLabApi"/>.
/// </summary>
public static partial class RouteKit
{
    /// <summary>A client for <paramref name="role"/> on the project: guest .. owner (members), nonmember, admin,
    /// read_api (a maintainer whose token is read-only), anonymous (no token), garbage (an unknown token).</summary>
    public static async Task<HttpClient> ClientAsync(GitLabApi api, long projectId, string role) => role switch
    {
        "admin" => api.Admin,
        "anonymous" => api.Anonymous,
        "garbage" => api.As("glpat-" + Guid.NewGuid().ToString("N")),
        "nonmember" => api.As((await api.CreateUserAsync()).Token),
        "read_api" => await api.MemberAsync(projectId, AccessLevel.Maintainer, ["read_api"]),
        _ => await api.MemberAsync(projectId, role switch
        {
            "guest" => AccessLevel.Guest,
            "reporter" => AccessLevel.Reporter,
            "developer" => AccessLevel.Developer,
            "maintainer" => AccessLevel.Maintainer,
            "owner" => AccessLevel.Owner,
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
        }),
    };

    /// <summary>A short unique suffix for names, paths and usernames.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..10];

    /// <summary>A raw JSON body (for malformed or oddly typed parameters).</summary>
    public static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A new user (no token, no membership).</summary>
    public static async Task<(long Id, string Username)> UserAsync(GitLabApi api)
    {
        var username = "u-" + Unique();
        var user = await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, "v4/users", new { username, name = username, email = $"{username}@example.com" }, HttpStatusCode.Created);
        return (user["id"]!.GetValue<long>(), username);
    }

    /// <summary>A fresh project's id.</summary>
    public static async Task<long> ProjectIdAsync(GitLabApi api) => (await api.CreateProjectAsync())["id"]!.GetValue<long>();

    /// <summary>
    /// The status, and for a refusal GitLab's body: 401 Unauthorized, 403 Forbidden, 404 Project Not Found (what a
    /// caller who may not see the project gets).
    /// </summary>
    public static void AssertOutcome(ApiResponse response, HttpStatusCode expected)
    {
        switch (expected)
        {
            case HttpStatusCode.Unauthorized:
                AssertError(response, expected, """{"message":"401 Unauthorized"}""");
                break;
            case HttpStatusCode.Forbidden:
                AssertError(response, expected, """{"message":"403 Forbidden"}""");
                break;
            case HttpStatusCode.NotFound:
                AssertError(response, expected, """{"message":"404 Project Not Found"}""");
                break;
            default:
                Assert.True(response.Status == expected, $"expected {(int)expected}, got {(int)response.Status} {response.Text}");
                break;
        }
    }

    /// <summary>The status and the exact JSON body (compared as JSON, so key order and spacing do not matter).</summary>
    public static void AssertError(ApiResponse response, HttpStatusCode status, string json)
    {
        Assert.True(response.Status == status, $"expected {(int)status} {json}, got {(int)response.Status} {response.Text}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), response.Body), $"expected {json}, got {response.Text}");
        Assert.Equal("application/json", response.MediaType);
    }

    /// <summary>The object has exactly these fields (GitLab's, no more: nothing internal or secret leaks).</summary>
    public static JsonObject AssertFields(JsonNode? node, params string[] names)
    {
        var item = Assert.IsType<JsonObject>(node);
        Assert.Equal(names.Order(StringComparer.Ordinal), item.Select(property => property.Key).Order(StringComparer.Ordinal));
        return item;
    }

    /// <summary>A positive integer id.</summary>
    public static long AssertId(JsonNode? node)
    {
        Assert.Equal(JsonValueKind.Number, node!.GetValueKind());
        var id = node.GetValue<long>();
        Assert.True(id > 0, $"id {id} is not positive");
        return id;
    }

    public static string AssertString(JsonNode? node)
    {
        Assert.Equal(JsonValueKind.String, node?.GetValueKind());
        return node!.GetValue<string>();
    }

    public static void AssertNull(JsonNode? node) => Assert.Null(node);

    /// <summary>GitLab's timestamps: UTC with milliseconds, and recent (written by this run).</summary>
    public static DateTimeOffset AssertTimestamp(JsonNode? node)
    {
        var text = AssertString(node);
        Assert.Matches(TimestampPattern(), text);
        var time = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(time, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        return time;
    }

    /// <summary>An absolute http(s) URL ending with <paramref name="suffix"/>.</summary>
    public static void AssertWebUrl(JsonNode? node, string suffix)
    {
        var url = AssertString(node);
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", url);
        Assert.EndsWith(suffix, url, StringComparison.Ordinal);
    }

    /// <summary>The pagination headers of a list response, and its Link rels with their page numbers.</summary>
    public static void AssertPage(ApiResponse response, int page, int perPage, int total)
    {
        var totalPages = Math.Max(1, (total + perPage - 1) / perPage);
        int? next = page < totalPages ? page + 1 : null;
        int? prev = page > 1 && page <= totalPages ? page - 1 : null;
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(page.ToString(), response.Header("X-Page"));
        Assert.Equal(perPage.ToString(), response.Header("X-Per-Page"));
        Assert.Equal(total.ToString(), response.Header("X-Total"));
        Assert.Equal(totalPages.ToString(), response.Header("X-Total-Pages"));
        Assert.Equal(next?.ToString() ?? string.Empty, response.Header("X-Next-Page"));
        Assert.Equal(prev?.ToString() ?? string.Empty, response.Header("X-Prev-Page"));

        var links = LinkPattern().Matches(response.Header("Link")).ToDictionary(match => match.Groups["rel"].Value, match => match.Groups["url"].Value);
        var expected = new Dictionary<string, int> { ["first"] = 1, ["last"] = totalPages };
        if (next is { } n)
        {
            expected["next"] = n;
        }

        if (prev is { } p)
        {
            expected["prev"] = p;
        }

        Assert.Equal(expected.Keys.Order(), links.Keys.Order());
        foreach (var (rel, number) in expected)
        {
            Assert.Contains($"page={number}&per_page={perPage}", links[rel], StringComparison.Ordinal);
            Assert.DoesNotContain("private_token", links[rel], StringComparison.Ordinal);
        }
    }

    /// <summary>The items of a list response.</summary>
    public static JsonArray Items(ApiResponse response) => Assert.IsType<JsonArray>(response.Body);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex("<(?<url>[^>]+)>; rel=\"(?<rel>[a-z]+)\"")]
    private static partial Regex LinkPattern();
}
