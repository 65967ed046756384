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
            new Dictionary<string, string> { [nameKey] = "name", [urlKey] = "external_url" },
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
        MoveIndex(actions, unique, partition, NameKey(current.Name), NameKey(updated.Name), "name", current.Id);
        MoveIndex(actions, unique, partition, UrlKey(current.ExternalUrl), UrlKey(updated.ExternalUrl), "external_url", current.Id);
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

    public async Task<IReadOnlyList<AuditEntity>> ListAuditAsync(long projectId, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<AuditEntity>(await Table(cancellationToken), Keys.Partition(projectId), AuditPrefix, cancellationToken);

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

internal sealed class TableCheckResponseStore(StatusChecksTables tables) : ICheckResponseStore
{
    private const string ResetPrefix = "reset|";

    public async Task AddAsync(CheckResponseEntity response, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        // Newest first within a (check, sha): inverted ticks; the id keeps same-tick responses apart.
        var inverted = DateTimeOffset.MaxValue.UtcTicks - response.CreatedAt.UtcTicks;
        var rowKey = $"{ResponsePrefix(response.CheckId, response.Sha)}{inverted.ToString("D19", CultureInfo.InvariantCulture)}|{Keys.Id(response.Id)}";
        await table.AddEntityAsync(response with { PartitionKey = Keys.MergeRequestPartition(response.ProjectId, response.MergeRequestIid), RowKey = rowKey }, cancellationToken);
    }

    public async Task<CheckResponseEntity?> GetLatestAsync(long projectId, long iid, long checkId, string sha, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await foreach (var response in table.QueryAsync<CheckResponseEntity>(
                           Pages.Range(Keys.MergeRequestPartition(projectId, iid), ResponsePrefix(checkId, sha)), maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return response;
        }

        return null;
    }

    public async Task<IReadOnlyList<CheckResetEntity>> ListResetsAsync(long projectId, long iid, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<CheckResetEntity>(await Table(cancellationToken), Keys.MergeRequestPartition(projectId, iid), ResetPrefix, cancellationToken);

    public async Task ResetAsync(long projectId, long iid, CheckResetEntity reset, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(
            reset with { PartitionKey = Keys.MergeRequestPartition(projectId, iid), RowKey = ResetPrefix + Keys.Id(reset.CheckId) },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private static string ResponsePrefix(long checkId, string sha) => $"resp|{Keys.Id(checkId)}|{sha}|";

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.CheckResponses, cancellationToken);
}
