using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

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
