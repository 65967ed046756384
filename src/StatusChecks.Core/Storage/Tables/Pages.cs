using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal static class Pages
{
    /// <summary>All rows of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string Range(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {prefix} and RowKey lt {prefix + Keys.RangeEnd}");

    /// <summary>
    /// Page N of the rows with <paramref name="prefix"/>, in key order, without reading whole rows before it:
    /// the total comes from the counter shards, earlier rows are skipped by a key-only query.
    /// </summary>
    public static async Task<Page<T>> ReadAsync<T>(TableClient table, string partition, string prefix, PageRequest request, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        // The rows do not depend on the total: both are read together (one round trip for a first page).
        var total = Counters.TotalAsync(table, partition, cancellationToken);
        var items = ReadItemsAsync<T>(table, partition, prefix, request, cancellationToken);
        await Task.WhenAll(total, items).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return new Page<T>(await items, request.Page, request.PerPage, await total);
    }

    /// <summary>Page N as above, of <paramref name="total"/> rows counted by the caller.</summary>
    public static async Task<Page<T>> ReadAsync<T>(TableClient table, string partition, string prefix, PageRequest request, long total, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        if (request.Skip >= total)
        {
            return new Page<T>([], request.Page, request.PerPage, total);
        }

        return new Page<T>(await ReadItemsAsync<T>(table, partition, prefix, request, cancellationToken), request.Page, request.PerPage, total);
    }

    /// <summary>The rows of page N (none when there are fewer rows than it skips).</summary>
    private static async Task<IReadOnlyList<T>> ReadItemsAsync<T>(TableClient table, string partition, string prefix, PageRequest request, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        var after = prefix;
        if (request.Skip > 0)
        {
            long skipped = 0;
            await foreach (var key in table.QueryAsync<TableEntity>(Range(partition, prefix), maxPerPage: 1000, select: [nameof(ITableEntity.RowKey)], cancellationToken: cancellationToken))
            {
                after = key.RowKey;
                if (++skipped == request.Skip)
                {
                    break;
                }
            }

            if (skipped < request.Skip)
            {
                return [];
            }
        }

        var items = new List<T>(request.PerPage);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {prefix + Keys.RangeEnd}");
        await foreach (var item in table.QueryAsync<T>(filter, maxPerPage: request.PerPage, cancellationToken: cancellationToken))
        {
            items.Add(item);
            if (items.Count == request.PerPage)
            {
                break;
            }
        }

        return items;
    }

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(TableClient table, string partition, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        var items = new List<T>();
        await foreach (var item in table.QueryAsync<T>(Range(partition, prefix), cancellationToken: cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }
}
