using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>Whose token a hostile request carries.</summary>
public enum TokenKind
{
    None,
    Garbage,
    Expired,
    Revoked,
    Admin,
    Maintainer,
    Developer,
    Reporter,
    Guest,
    ReadApi,
    OtherProjectMaintainer,
    NonMember,
}

/// <summary>
/// Its own Azurite and host (not the shared service: other tests' notifications keep writing delivery rows there,
/// which would make "nothing changed" impossible to prove), arranged once: project A with a member at every role,
/// a read_api, an expired and a revoked token, a protected branch, a check, an open MR and its settled delivery;
/// project B with its own maintainer, branch and check. Then the store must not move while hostile requests run.
/// </summary>
public sealed class HostileWorld : IsolatedService
{
    private static readonly Dictionary<string, string?> SettledStoreSettings = new(FastQueueSettings)
    {
        // A settled store: one failed delivery attempt and no retries, and no check times out into "failed"
        // (which would let a retry succeed) while the suite runs.
        ["StatusChecks__Notifications__RetrySchedule"] = "",
        ["StatusChecks__PendingTimeout"] = "1.00:00:00",
    };

    private readonly Dictionary<TokenKind, HttpClient> clients = [];
    private readonly Dictionary<string, string> values = [];
    private readonly ConcurrentDictionary<int, int> statuses = new();
    /// <summary>The store as the previous case left it (null: take a fresh one).</summary>
    internal StoreSnapshot? Last { get; set; }

    protected override IReadOnlyDictionary<string, string?> Settings => SettledStoreSettings;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var api = new GitLabApi(Host);
        clients[TokenKind.None] = api.Anonymous;
        clients[TokenKind.Garbage] = api.As("glpat-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        clients[TokenKind.Admin] = api.Admin;

        var a = await api.CreateProjectAsync("hostile-a-" + RouteKit.Unique());
        var b = await api.CreateProjectAsync("hostile-b-" + RouteKit.Unique());
        long aId = (long)a["id"]!, bId = (long)b["id"]!;
        var aPath = (string)a["path_with_namespace"]!;
        clients[TokenKind.Maintainer] = await api.MemberAsync(aId, AccessLevel.Maintainer);
        clients[TokenKind.Developer] = await api.MemberAsync(aId, AccessLevel.Developer);
        clients[TokenKind.Reporter] = await api.MemberAsync(aId, AccessLevel.Reporter);
        clients[TokenKind.ReadApi] = await api.MemberAsync(aId, AccessLevel.Maintainer, ["read_api"]);
        clients[TokenKind.OtherProjectMaintainer] = await api.MemberAsync(bId, AccessLevel.Maintainer);
        clients[TokenKind.NonMember] = api.As((await api.CreateUserAsync()).Token);
        var (guestId, guestToken) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{aId}/members", new { user_id = guestId, access_level = AccessLevel.Guest }, HttpStatusCode.Created);
        clients[TokenKind.Guest] = api.As(guestToken);
        clients[TokenKind.Expired] = await TamperedMaintainerAsync(api, aId, entity => entity["ExpiresAt"] = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        clients[TokenKind.Revoked] = await TamperedMaintainerAsync(api, aId, entity => entity["Revoked"] = true);

        var maintainer = clients[TokenKind.Maintainer];
        var branch = await GitLabApi.SendAsync(maintainer, HttpMethod.Post, $"v4/projects/{aId}/protected_branches", new { name = "main" }, HttpStatusCode.Created);
        var branchB = await GitLabApi.SendAsync(clients[TokenKind.OtherProjectMaintainer], HttpMethod.Post, $"v4/projects/{bId}/protected_branches", new { name = "main" }, HttpStatusCode.Created);
        var check = await GitLabApi.SendAsync(maintainer, HttpMethod.Post, $"v4/projects/{aId}/external_status_checks", new { name = "check-a", external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.Created);
        var checkB = await GitLabApi.SendAsync(clients[TokenKind.OtherProjectMaintainer], HttpMethod.Post, $"v4/projects/{bId}/external_status_checks", new { name = "check-b", external_url = StatusCheckProject.NewUrl() }, HttpStatusCode.Created);
        var sha = GitLabApi.Sha();
        var mr = await GitLabApi.SendAsync(
            clients[TokenKind.Developer], HttpMethod.Post, $"v4/projects/{aId}/merge_requests", new { source_branch = "feature", target_branch = "main", title = "Change", sha }, HttpStatusCode.Created);
        var (unrelatedUserId, _) = await api.CreateUserAsync();

        values["A"] = aId.ToString(CultureInfo.InvariantCulture);
        values["A_path"] = Uri.EscapeDataString(aPath);
        values["A_path_double"] = Uri.EscapeDataString(Uri.EscapeDataString(aPath));
        values["A_path_triple"] = Uri.EscapeDataString(Uri.EscapeDataString(Uri.EscapeDataString(aPath)));
        values["A_namespace"] = aPath.Split('/')[0];
        values["B"] = bId.ToString(CultureInfo.InvariantCulture);
        values["B_path"] = Uri.EscapeDataString((string)b["path_with_namespace"]!);
        values["mr"] = ((long)mr["iid"]!).ToString(CultureInfo.InvariantCulture);
        values["sha"] = sha;
        values["check"] = ((long)check["id"]!).ToString(CultureInfo.InvariantCulture);
        values["check_B"] = ((long)checkB["id"]!).ToString(CultureInfo.InvariantCulture);
        values["branch"] = ((long)branch["id"]!).ToString(CultureInfo.InvariantCulture);
        values["branch_B"] = ((long)branchB["id"]!).ToString(CultureInfo.InvariantCulture);
        values["guest_user"] = guestId.ToString(CultureInfo.InvariantCulture);
        values["unrelated_user"] = unrelatedUserId.ToString(CultureInfo.InvariantCulture);
        values["delivery"] = (await SettledDeliveryAsync(maintainer, $"v4/projects/{aId}/merge_requests/{mr["iid"]}/status_checks/{check["id"]}/deliveries"))
            .ToString(CultureInfo.InvariantCulture);
    }


    public HttpClient Client(TokenKind kind) => clients[kind];

    /// <summary>Replaces {name} placeholders (ids and paths of the arranged world) in a path or body.</summary>
    public string Resolve(string text)
    {
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Counts one answer; returns how many so far and the tally by status, e.g. "400 x 120, 401 x 96".</summary>
    internal (int Counted, string Tally) Count(HttpStatusCode status)
    {
        statuses.AddOrUpdate((int)status, 1, (_, count) => count + 1);
        var tally = statuses.OrderBy(pair => pair.Key).ToList();
        return (tally.Sum(pair => pair.Value), string.Join(", ", tally.Select(pair => $"{pair.Key} x {pair.Value}")));
    }

    /// <summary>
    /// A maintainer of <paramref name="projectId"/> whose stored token row is then edited: the API refuses to create
    /// an expired token (expires_at in the past) and has no revoke route, so the test writes the state it needs.
    /// </summary>
    private async Task<HttpClient> TamperedMaintainerAsync(GitLabApi api, long projectId, Action<TableEntity> edit)
    {
        var (userId, token) = await api.CreateUserAsync();
        await GitLabApi.SendAsync(api.Admin, HttpMethod.Post, $"v4/projects/{projectId}/members", new { user_id = userId, access_level = AccessLevel.Maintainer }, HttpStatusCode.Created);
        var client = api.As(token);
        // Not used before the edit: a token the worker has read stays in its access cache for a while
        // (StatusChecks:AccessCacheDuration), and this edit bypasses the API that would forget it.
        var tokens = Tables.GetTableClient("Tokens");
        var entity = new TableEntity(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), "token");
        edit(entity);
        await tokens.UpdateEntityAsync(entity, Azure.ETag.All, TableUpdateMode.Merge);
        await GitLabApi.SendAsync(client, HttpMethod.Get, $"v4/projects/{projectId}", null, HttpStatusCode.Unauthorized);
        return client;
    }

    /// <summary>The MR's one notification has been attempted (and failed: nothing listens) and will not be retried.</summary>
    private static async Task<long> SettledDeliveryAsync(HttpClient maintainer, string path)
    {
        var log = await Eventually.GetAsync(
            async () =>
            {
                var items = (await GitLabApi.SendAsync(maintainer, HttpMethod.Get, path, null, HttpStatusCode.OK))["items"]!.AsArray();
                return items.Count > 0 && (string?)items[0]!["status"] == "failed" ? items : null;
            },
            TimeSpan.FromSeconds(60),
            "the merge request's notification attempt to be recorded");
        return (long)log[0]!["id"]!;
    }
}
