using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Stack;

/// <summary>Arranges benchmark data through the service's own API (admin token); fails loudly on any non-2xx.</summary>
internal sealed class GitLabClient(LocalHostInstance host) : IDisposable
{
    private const int Developer = 30;
    private static readonly string[] ApiScope = ["api"];

    public HttpClient Admin { get; } = host.CreateClient(host.AdminToken);

    public static string NewSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public async Task<long> CreateProjectAsync(string prefix) =>
        Id(await SendAsync(Admin, HttpMethod.Post, "v4/projects", new { name = $"{prefix}-{Guid.NewGuid():N}"[..30] }));

    /// <summary>A new user with an api token, made a Developer of the project.</summary>
    public async Task<(long UserId, string Token)> CreateDeveloperAsync(long projectId)
    {
        var username = "bench-" + Guid.NewGuid().ToString("N")[..12];
        var userId = Id(await SendAsync(Admin, HttpMethod.Post, "v4/users", new { username, name = username, email = $"{username}@example.com" }));
        var token = await SendAsync(Admin, HttpMethod.Post, $"v4/users/{userId}/personal_access_tokens", new { name = "bench", scopes = ApiScope });
        await SendAsync(Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = Developer });
        return (userId, token["token"]!.GetValue<string>());
    }

    /// <summary>A check with no protected branches: it applies to every MR of the project.</summary>
    public async Task<long> CreateCheckAsync(long projectId, string name, Uri url) =>
        Id(await SendAsync(Admin, HttpMethod.Post, $"v4/projects/{projectId}/external_status_checks", new { name, external_url = url }));

    /// <summary>Opens an MR; returns its iid.</summary>
    public async Task<long> CreateMergeRequestAsync(long projectId, string sha)
    {
        var branch = "feature/" + Guid.NewGuid().ToString("N")[..8];
        var mergeRequest = await SendAsync(Admin, HttpMethod.Post, $"v4/projects/{projectId}/merge_requests", new { source_branch = branch, target_branch = "main", title = "Benchmark", sha });
        return mergeRequest["iid"]!.GetValue<long>();
    }

    /// <summary>A new commit on the MR (PUT with a new sha): one notification per applicable check. Returns the MR.</summary>
    public Task<JsonObject> UpdateShaAsync(long projectId, long iid, string sha) =>
        SendAsync(Admin, HttpMethod.Put, $"v4/projects/{projectId}/merge_requests/{iid}", new { sha });

    public static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text) as JsonObject ?? []
            : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    }

    public void Dispose() => Admin.Dispose();

    private static long Id(JsonObject created) => created["id"]!.GetValue<long>();
}
