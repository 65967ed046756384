using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// Partition and row keys. Ids are zero-padded so key order is id order. Free text (names, URLs, branch
/// patterns) may hold characters row keys forbid ('/', '#', '?'), so index rows key it by its SHA-256.
/// </summary>
/// <remarks>
/// <para>
/// The key schema, written here only (src/StatusChecks.Core/README.md "Table design" is the same table): table
/// (named in <see cref="StatusChecksTables"/> or a store's <c>TableName</c>, prefixed with
/// <see cref="StorageOptions.NamePrefix"/>): PartitionKey / RowKey -> row. <c>{project}</c> is <see cref="Partition"/>
/// (the project id in decimal), <c>{x:D19}</c> is <see cref="Id"/> (19 digits), <c>sha256(x)</c> is <see cref="Hash"/>,
/// <c>{inverted ticks}</c> is <c>DateTimeOffset.MaxValue.UtcTicks - ticks</c> as D19 (newest first),
/// <c>count|{NN}</c> are the 16 shards <c>count|00</c>..<c>count|15</c> of a list's total (<see cref="Counters"/>).
/// </para>
/// <list type="bullet">
/// <item>Ids: <c>ids</c> / <c>{IdKind}</c> (<c>Project</c>, <c>User</c>, ...) -> <see cref="CounterEntity"/>, the first id not yet reserved (<see cref="BlockIdGenerator"/>).</item>
/// <item>Projects: <c>projects</c> / <c>id|{id:D19}</c> -> <see cref="ProjectEntity"/>; <c>path|{lower namespace/path, '/' as ':'}</c> -> <see cref="IndexEntity"/> (project id).</item>
/// <item>Users: <c>users</c> / <c>id|{id:D19}</c> -> <see cref="UserEntity"/> (<c>id|0000000000000000001</c>: the administrator, written without index
/// rows the first time it is read); <c>username|{lower username}</c>, <c>email|sha256(lower email)</c> -> <see cref="IndexEntity"/> (user id).</item>
/// <item>Tokens: <c>sha256(token)</c> / <c>token</c> -> <see cref="TokenEntity"/>.</item>
/// <item>Members: <c>{project}</c> / <c>member|{user id:D19}</c> -> <see cref="MemberEntity"/>; <c>count|{NN}</c>.</item>
/// <item>ProtectedBranches: <c>{project}</c> / <c>branch|{id:D19}</c> -> <see cref="ProtectedBranchEntity"/>; <c>name|sha256(name)</c> -> <see cref="IndexEntity"/>
/// (branch id); <c>count|{NN}</c>.</item>
/// <item>StatusChecks: <c>{project}</c> / <c>check|{id:D19}</c> -> <see cref="StatusCheckEntity"/>; <c>name|sha256(name)</c>, <c>url|sha256(external url)</c>
/// -> <see cref="IndexEntity"/> (check id); <c>audit|{UtcTicks:D19}|{guid:N}</c> -> <see cref="AuditEntity"/>; <c>count|{NN}</c>.</item>
/// <item>MergeRequestsV2: <c>{project}</c> / <c>mr|{iid:D19}</c> -> <see cref="MergeRequestEntity"/>; <c>iid</c> -> <see cref="IidCounterEntity"/> (the highest
/// iid); the MR's statuses at a sha (<see cref="StatusKeys"/>): <c>st|{iid:D19}|{sha}|latest|{check id:D19}</c> -> <see cref="CheckResponseEntity"/>
/// (the check's newest response), <c>st|{iid:D19}|{sha}|reset|{check id:D19}</c> -> <see cref="CheckResetEntity"/> (its latest reset),
/// <c>st|{iid:D19}|{sha}|version</c> -> <see cref="CounterEntity"/> (only its ETag matters: rewritten by every response and reset);
/// <c>resp|{iid:D19}|{check id:D19}|{sha}|{inverted ticks}|{id:D19}</c> -> <see cref="CheckResponseEntity"/> (the append-only response history).</item>
/// <item>MergeRequestDeliveries: <c>{project}-{iid}</c> / <c>delivery|{check id:D19}|{id:D19}</c> -> <see cref="DeliveryEntity"/>;
/// <c>event|{event id}|{check id:D19}</c> -> <see cref="IndexEntity"/> (delivery id); <c>payload|{event id}|{first delivery id:D19}</c> ->
/// <see cref="EventPayloadEntity"/> (the body's part all of an event's deliveries share, one per creating transaction);
/// <c>attempt|{check id:D19}|{long.MaxValue - delivery id:D19}|{int.MaxValue - attempt:D10}</c> -> <see cref="DeliveryAttemptEntity"/> (newest first).</item>
/// <item>UrlHealth: <c>sha256(absolute URL)</c> (a check's URL or a linked GitLab's API root) / <c>health</c> -> <see cref="UrlHealthEntity"/>.</item>
/// <item>GitLabBridge: <c>link-{project}</c> / <c>link</c> -> <see cref="GitLabLinkEntity"/>; <c>gitlab-{GitLab project id}</c> / <c>{project id:D19}</c>
/// -> <see cref="GitLabLinkIndexEntity"/>; <c>events-{project}</c> / <c>{X-Gitlab-Event-UUID}</c> -> <see cref="GitLabEventEntity"/>;
/// <c>report-{project}-{iid}</c> / <c>desired</c> -> <see cref="CommitStatusReportEntity"/>; <c>attempts-{project}</c> /
/// <c>attempt|{inverted ticks}|{guid:N}</c> -> <see cref="CommitStatusAttemptEntity"/>.</item>
/// </list>
/// </remarks>
internal static class Keys
{
    /// <summary>Sorts after every character the keys below use, closing a prefix range.</summary>
    public const string RangeEnd = "~";

    public static string Id(long id) => id.ToString("D19", CultureInfo.InvariantCulture);

    public static string Partition(long projectId) => projectId.ToString(CultureInfo.InvariantCulture);

    public static string MergeRequestPartition(long projectId, long iid) => $"{Partition(projectId)}-{iid.ToString(CultureInfo.InvariantCulture)}";

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
