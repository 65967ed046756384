using System.Globalization;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// A project's checks with their unique name/URL index rows, list counter and audit rows, all in the project's
/// partition, so each create/update/delete (audit row included) is one atomic transaction.
/// </summary>
internal sealed class TableStatusCheckStore(StatusChecksTables tables) : IStatusCheckStore
{
    private const string Prefix = "check|";
    private const string AuditPrefix = "audit|";

    public async Task<IReadOnlyList<StatusCheckEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<StatusCheckEntity>(await Table(cancellationToken), Keys.Partition(projectId), Prefix, cancellationToken);

    public async Task<Page<StatusCheckEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken) =>
        await Pages.ReadAsync<StatusCheckEntity>(await Table(cancellationToken), Keys.Partition(projectId), Prefix, page, cancellationToken);

    public async Task<StatusCheckEntity?> GetAsync(long projectId, long checkId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<StatusCheckEntity>(Keys.Partition(projectId), Prefix + Keys.Id(checkId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(check.ProjectId);
        var (nameKey, urlKey) = (NameKey(check.Name), UrlKey(check.ExternalUrl));
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, check with { PartitionKey = partition, RowKey = Prefix + Keys.Id(check.Id) }),
                new(TableTransactionActionType.Add, Index(partition, nameKey, check.Id)),
                new(TableTransactionActionType.Add, Index(partition, urlKey, check.Id)),
                new(TableTransactionActionType.Add, AuditRow(partition, audit)),
                await Counters.ChangeAsync(table, partition, +1, cancellationToken),
            ],
            new Dictionary<string, string> { [nameKey] = ParameterNames.Name, [urlKey] = ParameterNames.ExternalUrl },
            cancellationToken);
    }

    public async Task<StatusCheckEntity> UpdateAsync(StatusCheckEntity current, StatusCheckEntity updated, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = current.PartitionKey;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, updated with { PartitionKey = partition, RowKey = current.RowKey }, current.ETag),
            new(TableTransactionActionType.Add, AuditRow(partition, audit)),
        };
        var unique = new Dictionary<string, string>();
        MoveIndex(actions, unique, partition, NameKey(current.Name), NameKey(updated.Name), ParameterNames.Name, current.Id);
        MoveIndex(actions, unique, partition, UrlKey(current.ExternalUrl), UrlKey(updated.ExternalUrl), ParameterNames.ExternalUrl, current.Id);
        var responses = await Transactions.SubmitAsync(table, actions, unique, cancellationToken);
        // What this write stored, not a re-read: that could show a later writer's change (or none, after a delete).
        return updated with { PartitionKey = partition, RowKey = current.RowKey, ETag = responses[0].Headers.ETag ?? default };
    }

    public async Task DeleteAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = check.PartitionKey;
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Delete, check, check.ETag),
                new(TableTransactionActionType.Delete, Index(partition, NameKey(check.Name), check.Id)),
                new(TableTransactionActionType.Delete, Index(partition, UrlKey(check.ExternalUrl), check.Id)),
                new(TableTransactionActionType.Add, AuditRow(partition, audit)),
                await Counters.ChangeAsync(table, partition, -1, cancellationToken),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private static void MoveIndex(List<TableTransactionAction> actions, Dictionary<string, string> unique, string partition, string oldKey, string newKey, string field, long checkId)
    {
        if (oldKey == newKey)
        {
            return;
        }

        actions.Add(new(TableTransactionActionType.Delete, Index(partition, oldKey, checkId)));
        actions.Add(new(TableTransactionActionType.Add, Index(partition, newKey, checkId)));
        unique[newKey] = field;
    }

    private static IndexEntity Index(string partition, string rowKey, long checkId) =>
        new() { PartitionKey = partition, RowKey = rowKey, TargetId = checkId };

    // Chronological keys (ticks) plus a GUID so two changes in one tick never collide.
    private static AuditEntity AuditRow(string partition, AuditEntity audit) => audit with
    {
        PartitionKey = partition,
        RowKey = $"{AuditPrefix}{audit.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{Guid.NewGuid():N}",
    };

    // Names and URLs are unique exactly as given (GitLab compares them case-sensitively).
    private static string NameKey(string name) => "name|" + Keys.Hash(name);

    private static string UrlKey(string url) => "url|" + Keys.Hash(url);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.StatusChecks, cancellationToken);
}

internal sealed class TableMergeRequestStore(StatusChecksTables tables) : IMergeRequestStore
{
    private const string Prefix = "mr|";
    private const string IidCounter = "iid";

    public async Task<MergeRequestEntity?> GetAsync(long projectId, long iid, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<MergeRequestEntity>(Keys.Partition(projectId), Prefix + Keys.Id(iid), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<MergeRequestEntity> CreateAsync(MergeRequestEntity mergeRequest, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(mergeRequest.ProjectId);
        var counter = await table.GetEntityIfExistsAsync<IidCounterEntity>(partition, IidCounter, cancellationToken: cancellationToken);
        var iid = (counter.HasValue ? counter.Value!.Value : 0) + 1;
        var created = mergeRequest with { PartitionKey = partition, RowKey = Prefix + Keys.Id(iid), Iid = iid };
        await beforeCommit(created, cancellationToken);
        await Transactions.SubmitAsync(table, [CounterAction(partition, counter, iid, mirrored: false), new(TableTransactionActionType.Add, created)], new Dictionary<string, string>(), cancellationToken);
        return await GetAsync(mergeRequest.ProjectId, iid, cancellationToken) ?? throw new ConcurrencyException();
    }

    public async Task<MergeRequestEntity> CreateMirroredAsync(MergeRequestEntity mergeRequest, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(mergeRequest.ProjectId);
        var counter = await table.GetEntityIfExistsAsync<IidCounterEntity>(partition, IidCounter, cancellationToken: cancellationToken);
        var rowKey = Prefix + Keys.Id(mergeRequest.Iid);
        var created = mergeRequest with { PartitionKey = partition, RowKey = rowKey };
        await beforeCommit(created, cancellationToken);
        // The counter keeps the highest iid (so an API-created MR after an unlink never takes a mirrored iid) and
        // remembers that iids may now have gaps.
        var highest = Math.Max(counter.HasValue ? counter.Value!.Value : 0, mergeRequest.Iid);
        await Transactions.SubmitAsync(
            table,
            [CounterAction(partition, counter, highest, mirrored: true), new(TableTransactionActionType.Add, created)],
            new Dictionary<string, string> { [rowKey] = "iid" },
            cancellationToken);
        return await GetAsync(mergeRequest.ProjectId, mergeRequest.Iid, cancellationToken) ?? throw new ConcurrencyException();
    }

    private static TableTransactionAction CounterAction(string partition, Azure.NullableResponse<IidCounterEntity> counter, long value, bool mirrored) =>
        counter.HasValue
            ? new(TableTransactionActionType.UpdateReplace, counter.Value! with { Value = value, Mirrored = mirrored || counter.Value.Mirrored }, counter.Value.ETag)
            : new(TableTransactionActionType.Add, new IidCounterEntity { PartitionKey = partition, RowKey = IidCounter, Value = value, Mirrored = mirrored });

    public async Task<MergeRequestEntity> UpdateAsync(MergeRequestEntity mergeRequest, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(mergeRequest, mergeRequest.ETag, TableUpdateMode.Replace, cancellationToken));
        return mergeRequest with { ETag = response.Headers.ETag ?? default };
    }

    public async Task<MergeRequestEntity> MergeAsync(MergeRequestEntity merged, MergeRequestStatuses statusesAsRead, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var responses = await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.UpdateReplace, merged, merged.ETag),
                StatusKeys.CheckVersion(merged.PartitionKey, statusesAsRead),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
        return merged with { ETag = responses[0].Headers.ETag ?? default };
    }

    public async Task<IReadOnlyList<MergeRequestEntity>> ListOpenAsync(long projectId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(projectId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {Prefix} and RowKey lt {Prefix + Keys.RangeEnd} and State eq {MergeRequestStates.Opened}");
        var open = new List<MergeRequestEntity>();
        await foreach (var mergeRequest in table.QueryAsync<MergeRequestEntity>(filter, cancellationToken: cancellationToken))
        {
            open.Add(mergeRequest);
        }

        return open;
    }

    public async Task<Page<MergeRequestEntity>> ListAsync(
        long projectId, string? state, string? targetBranch, string? sourceBranch, bool descending, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(projectId);
        string[] conditions =
        [
            .. state is null ? Array.Empty<string>() : [TableClient.CreateQueryFilter($"State eq {state}")],
            .. targetBranch is null ? Array.Empty<string>() : [TableClient.CreateQueryFilter($"TargetBranch eq {targetBranch}")],
            .. sourceBranch is null ? Array.Empty<string>() : [TableClient.CreateQueryFilter($"SourceBranch eq {sourceBranch}")],
        ];
        long total;
        string first, last;
        var counter = conditions.Length == 0
            ? await table.GetEntityIfExistsAsync<IidCounterEntity>(partition, IidCounter, cancellationToken: cancellationToken)
            : null;
        if (counter is not null && !(counter.HasValue && counter.Value!.Mirrored))
        {
            // iids are dense from 1 (the counter moves in the insert's transaction), so the page is a key range.
            total = counter.HasValue ? counter.Value!.Value : 0;
            if (page.Skip >= total)
            {
                return new Page<MergeRequestEntity>([], page.Page, page.PerPage, total);
            }

            var (low, high) = descending
                ? (Math.Max(1, total - page.Skip - page.PerPage + 1), total - page.Skip)
                : (page.Skip + 1, Math.Min(total, page.Skip + page.PerPage));
            (first, last) = (Prefix + Keys.Id(low), Prefix + Keys.Id(high));
        }
        else
        {
            var keys = new List<string>();
            // Filtered, or a project with mirrored (possibly sparse) iids: count the matching keys.
            var matching = string.Join(
                " and ",
                [TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {Prefix} and RowKey lt {Prefix + Keys.RangeEnd}"), .. conditions]);
            await foreach (var key in table.QueryAsync<TableEntity>(matching, maxPerPage: 1000, select: [nameof(ITableEntity.RowKey)], cancellationToken: cancellationToken))
            {
                keys.Add(key.RowKey);
            }

            total = keys.Count;
            if (page.Skip >= total)
            {
                return new Page<MergeRequestEntity>([], page.Page, page.PerPage, total);
            }

            var start = descending ? Math.Max(0, total - page.Skip - page.PerPage) : page.Skip;
            var end = descending ? total - page.Skip - 1 : Math.Min(total, page.Skip + page.PerPage) - 1;
            (first, last) = (keys[(int)start], keys[(int)end]);
        }

        var filter = string.Join(
            " and ",
            [TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {first} and RowKey le {last}"), .. conditions]);
        var rows = new List<MergeRequestEntity>(page.PerPage);
        await foreach (var row in table.QueryAsync<MergeRequestEntity>(filter, maxPerPage: page.PerPage, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        // Rows come in key (= iid) order.
        if (descending)
        {
            rows.Reverse();
        }

        return new Page<MergeRequestEntity>(rows, page.Page, page.PerPage, total);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.MergeRequests, cancellationToken);
}

/// <summary>
/// Responses and resets live in their MR's project partition of the MergeRequests table, next to the MR row, so one
/// range query reads an MR's statuses at a sha and a merge can commit against them in one transaction:
/// <c>st|&lt;iid&gt;|&lt;sha&gt;|latest|&lt;check&gt;</c> (the newest response of the check at that sha),
/// <c>st|&lt;iid&gt;|&lt;sha&gt;|reset|&lt;check&gt;</c> (the latest reset), <c>st|&lt;iid&gt;|&lt;sha&gt;|version</c> (rewritten
/// by every response and reset: its ETag is the version a merge checks), and the append-only history
/// <c>resp|&lt;iid&gt;|&lt;check&gt;|&lt;sha&gt;|&lt;inverted ticks&gt;|&lt;id&gt;</c> (the responses' audit record, never read on a hot path).
/// </summary>
internal sealed class TableCheckResponseStore(StatusChecksTables tables) : ICheckResponseStore
{
    public async Task<MergeRequestStatuses> ReadAsync(long projectId, long iid, string sha, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var latest = new Dictionary<long, CheckResponseEntity>();
        var resets = new Dictionary<long, CheckResetEntity>();
        Azure.ETag? version = null;
        var prefix = StatusKeys.Prefix(iid, sha);
        await foreach (var row in table.QueryAsync<TableEntity>(Pages.Range(Keys.Partition(projectId), prefix), cancellationToken: cancellationToken))
        {
            var kind = row.RowKey.AsSpan(prefix.Length);
            if (kind.StartsWith(StatusKeys.Latest))
            {
                var response = StatusKeys.ToResponse(row);
                latest[response.CheckId] = response;
            }
            else if (kind.StartsWith(StatusKeys.Reset))
            {
                var reset = StatusKeys.ToReset(row);
                resets[reset.CheckId] = reset;
            }
            else if (kind.SequenceEqual(StatusKeys.Version))
            {
                version = row.ETag;
            }
        }

        return new MergeRequestStatuses(projectId, iid, sha, latest, resets, version);
    }

    public async Task AddAsync(CheckResponseEntity response, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(response.ProjectId);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - response.CreatedAt.UtcTicks;
        var history = response with
        {
            PartitionKey = partition,
            RowKey = $"resp|{Keys.Id(response.MergeRequestIid)}|{Keys.Id(response.CheckId)}|{response.Sha}|{inverted.ToString("D19", CultureInfo.InvariantCulture)}|{Keys.Id(response.Id)}",
        };
        var latest = response with { PartitionKey = partition, RowKey = StatusKeys.LatestKey(response.MergeRequestIid, response.Sha, response.CheckId) };
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, history),
                new(TableTransactionActionType.UpsertReplace, latest), // the last committed is the newest, as in GitLab
                StatusKeys.NewVersion(partition, response.MergeRequestIid, response.Sha),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    public async Task ResetAsync(long projectId, long iid, CheckResetEntity reset, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(projectId);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.UpsertReplace, reset with { PartitionKey = partition, RowKey = StatusKeys.ResetKey(iid, reset.Sha, reset.CheckId) }),
                StatusKeys.NewVersion(partition, iid, reset.Sha),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.MergeRequests, cancellationToken);
}

/// <summary>Row keys and shapes of an MR's status rows (see <see cref="TableCheckResponseStore"/>).</summary>
internal static class StatusKeys
{
    public const string Latest = "latest|";
    public const string Reset = "reset|";
    public const string Version = "version";

    public static string Prefix(long iid, string sha) => $"st|{Keys.Id(iid)}|{sha}|";

    public static string LatestKey(long iid, string sha, long checkId) => Prefix(iid, sha) + Latest + Keys.Id(checkId);

    public static string ResetKey(long iid, string sha, long checkId) => Prefix(iid, sha) + Reset + Keys.Id(checkId);

    public static string VersionKey(long iid, string sha) => Prefix(iid, sha) + Version;

    /// <summary>Rewrites the version row unconditionally: concurrent responses never collide on it, and its ETag changes.</summary>
    public static TableTransactionAction NewVersion(string partition, long iid, string sha) =>
        new(TableTransactionActionType.UpsertReplace, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(iid, sha) });

    /// <summary>
    /// The version row as a merge read it: replaced under its ETag (or added, when there was none), so the merge's
    /// transaction fails if any response or reset landed at that sha since.
    /// </summary>
    public static TableTransactionAction CheckVersion(string partition, MergeRequestStatuses asRead) =>
        asRead.Version is { } etag
            ? new(TableTransactionActionType.UpdateReplace, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(asRead.Iid, asRead.Sha) }, etag)
            : new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(asRead.Iid, asRead.Sha) });

    public static CheckResponseEntity ToResponse(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        Timestamp = row.Timestamp,
        Id = row.GetInt64(nameof(CheckResponseEntity.Id)) ?? 0,
        ProjectId = row.GetInt64(nameof(CheckResponseEntity.ProjectId)) ?? 0,
        MergeRequestIid = row.GetInt64(nameof(CheckResponseEntity.MergeRequestIid)) ?? 0,
        CheckId = row.GetInt64(nameof(CheckResponseEntity.CheckId)) ?? 0,
        Sha = row.GetString(nameof(CheckResponseEntity.Sha)) ?? "",
        Status = row.GetString(nameof(CheckResponseEntity.Status)) ?? "",
        Actor = row.GetString(nameof(CheckResponseEntity.Actor)) ?? "",
        CreatedAt = row.GetDateTimeOffset(nameof(CheckResponseEntity.CreatedAt)) ?? default,
    };

    public static CheckResetEntity ToReset(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        Timestamp = row.Timestamp,
        CheckId = row.GetInt64(nameof(CheckResetEntity.CheckId)) ?? 0,
        Sha = row.GetString(nameof(CheckResetEntity.Sha)) ?? "",
        At = row.GetDateTimeOffset(nameof(CheckResetEntity.At)) ?? default,
        Reason = row.GetString(nameof(CheckResetEntity.Reason)) ?? "",
    };
}
