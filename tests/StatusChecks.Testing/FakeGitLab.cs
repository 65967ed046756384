using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace StatusChecks.Testing;

/// <summary>A commit status as the fake GitLab stored it.</summary>
public sealed record PostedStatus(string Sha, string State, string? Ref, string Name, string? TargetUrl, string? Description, string Auth);

/// <summary>
/// A local stand-in for GitLab's commit status API (a <see cref="LoopbackHttpServer"/> on 127.0.0.1), holding to the contract of GitLab's
/// <c>lib/api/commit_statuses.rb</c> and <c>Ci::CreateCommitStatusService</c>: <c>POST /api/v4/projects/:id/statuses/:sha</c>
/// authenticated by <c>PRIVATE-TOKEN</c> or <c>Authorization: Bearer</c> (401 otherwise); <c>404 Project Not Found</c> for
/// another project, <c>404 Commit Not Found</c> for a sha it does not have; <c>state</c> required, one of pending,
/// running, success, failed, canceled, skipped (Grape's 400s); <c>ref</c>, <c>target_url</c> and <c>description</c> at
/// most 255 characters; <c>name</c> (or <c>context</c>, default <c>default</c>); re-posting <c>pending</c> over a pending
/// status of the same name and ref is GitLab's 400 "Cannot transition status via :enqueue from :pending". Form or JSON
/// bodies. Records every status it accepted; 201 with the status, as GitLab. The integration tests use it, and
/// <c>tests/StatusChecks.FakeGitLab</c> runs it on its own for the README's walk-through.
/// </summary>
public sealed partial class FakeGitLab : IAsyncDisposable
{
    private static readonly string[] States = ["pending", "running", "success", "failed", "canceled", "skipped"];
    private readonly ConcurrentQueue<PostedStatus> accepted = new();
    private readonly ConcurrentDictionary<(string Sha, string Name, string? Ref), string> current = new();
    private readonly HashSet<string> commits;
    private LoopbackHttpServer? server;
    private int requests;

    private FakeGitLab(string accessToken, long projectId, IEnumerable<string> commits)
    {
        AccessToken = accessToken;
        ProjectId = projectId;
        this.commits = [.. commits];
    }

    /// <summary>The base URL (no trailing slash), as a project's link names its GitLab.</summary>
    public string Url => server!.BaseAddress.ToString().TrimEnd('/');

    public string AccessToken { get; }

    public long ProjectId { get; }

    /// <summary>Every request, accepted or not.</summary>
    public int RequestCount => Volatile.Read(ref requests);

    public IReadOnlyList<PostedStatus> Statuses => [.. accepted];

    /// <summary>Called with one line per request: what was asked and what the fake answered.</summary>
    public Action<string>? Log { get; set; }

    public static Task<FakeGitLab> StartAsync(string accessToken, long projectId, params string[] commits) =>
        StartAsync(accessToken, projectId, port: null, commits);

    /// <param name="port">A fixed port (the README's walk-through), or null for a free one.</param>
    public static async Task<FakeGitLab> StartAsync(string accessToken, long projectId, int? port, IEnumerable<string> commits)
    {
        var gitlab = new FakeGitLab(accessToken, projectId, commits);
        gitlab.server = await LoopbackHttpServer.StartAsync(gitlab.RespondAsync, port: port);
        return gitlab;
    }

    public void AddCommit(string sha)
    {
        lock (commits)
        {
            commits.Add(sha);
        }
    }

    /// <summary>Waits until an accepted status matches; returns it.</summary>
    public async Task<PostedStatus> WaitForAsync(Func<PostedStatus, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (accepted.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what} (got: {string.Join("; ", accepted)}).");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task RespondAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        var (status, body) = await HandleAsync(context.Request);
        Log?.Invoke($"{context.Request.Method} {context.Request.Path} -> {(int)status} {body.ToJsonString()}");
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> HandleAsync(HttpRequest request)
    {
        var route = StatusRoute().Match(request.Path.Value ?? "");
        if (request.Method != "POST" || !route.Success)
        {
            return (HttpStatusCode.NotFound, new JsonObject { ["error"] = "404 Not Found" });
        }

        var auth = request.Headers.TryGetValue("PRIVATE-TOKEN", out var privateToken) ? "PRIVATE-TOKEN:" + privateToken
            : request.Headers.Authorization.ToString() is var authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? "Bearer:" + authorization[7..]
            : null;
        if (auth is null || auth[(auth.IndexOf(':', StringComparison.Ordinal) + 1)..] != AccessToken)
        {
            return (HttpStatusCode.Unauthorized, new JsonObject { ["message"] = "401 Unauthorized" });
        }

        if (route.Groups["id"].Value != ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return (HttpStatusCode.NotFound, new JsonObject { ["message"] = "404 Project Not Found" });
        }

        var parameters = await ParametersAsync(request);
        if (parameters is null)
        {
            return (HttpStatusCode.BadRequest, new JsonObject { ["message"] = "400 Bad request - malformed body" });
        }

        var state = parameters.GetValueOrDefault("state");
        if (state is null)
        {
            return (HttpStatusCode.BadRequest, new JsonObject { ["error"] = "state is missing" });
        }

        if (!States.Contains(state))
        {
            return (HttpStatusCode.BadRequest, new JsonObject { ["error"] = "state does not have a valid value" });
        }

        var sha = Uri.UnescapeDataString(route.Groups["sha"].Value);
        lock (commits)
        {
            if (!commits.Contains(sha))
            {
                return (HttpStatusCode.NotFound, new JsonObject { ["message"] = "404 Commit Not Found" });
            }
        }

        foreach (var field in (string[])["ref", "target_url", "description"])
        {
            if (parameters.GetValueOrDefault(field) is { Length: > 255 })
            {
                return (HttpStatusCode.BadRequest, new JsonObject { ["message"] = new JsonObject { [field] = new JsonArray("is too long (maximum is 255 characters)") } });
            }
        }

        var name = parameters.GetValueOrDefault("name") ?? parameters.GetValueOrDefault("context") ?? "default";
        var key = (sha, name, parameters.GetValueOrDefault("ref"));
        if (state == "pending" && current.TryGetValue(key, out var held) && held == "pending")
        {
            return (HttpStatusCode.BadRequest, new JsonObject { ["message"] = "Cannot transition status via :enqueue from :pending (Reason(s): Status cannot transition via \"enqueue\")" });
        }

        current[key] = state;
        var posted = new PostedStatus(sha, state, key.Item3, name, parameters.GetValueOrDefault("target_url"), parameters.GetValueOrDefault("description"), auth[..auth.IndexOf(':', StringComparison.Ordinal)]);
        accepted.Enqueue(posted);
        return (HttpStatusCode.Created, new JsonObject
        {
            ["id"] = accepted.Count,
            ["sha"] = sha,
            ["ref"] = posted.Ref,
            ["status"] = state,
            ["name"] = name,
            ["target_url"] = posted.TargetUrl,
            ["description"] = posted.Description,
            ["allow_failure"] = false,
        });
    }

    private static async Task<Dictionary<string, string>?> ParametersAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var parameters = new Dictionary<string, string>();
        foreach (var pair in (request.QueryString.Value?.TrimStart('?') + "&").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            parameters[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
        }

        if (text.Length == 0)
        {
            return parameters;
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                foreach (var (name, value) in JsonNode.Parse(text)!.AsObject())
                {
                    parameters[name] = value?.ToString() ?? "";
                }
            }
            catch (JsonException)
            {
                return null;
            }

            return parameters;
        }

        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            parameters[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
        }

        return parameters;
    }

    [GeneratedRegex("^/api/v4/projects/(?<id>[^/]+)/statuses/(?<sha>[^/]+)$")]
    private static partial Regex StatusRoute();
}
