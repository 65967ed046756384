using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// List totals kept in the list's partition, changed in the same transaction as the rows they count. The total
/// is split over a few shard rows so concurrent creates rarely collide on one ETag; X-Total = their sum.
/// </summary>
internal static class Counters
{
    public const int Shards = 16;
    private const string Prefix = "count|";

    /// <summary>The transaction action that adds <paramref name="delta"/> to a random shard (ETag-checked).</summary>
    public static async Task<TableTransactionAction> ChangeAsync(TableClient table, string partition, long delta, CancellationToken cancellationToken)
    {
        var rowKey = Prefix + Random.Shared.Next(Shards).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        var shard = await table.GetEntityIfExistsAsync<CounterEntity>(partition, rowKey, cancellationToken: cancellationToken);
        return shard.HasValue
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, shard.Value! with { Value = shard.Value.Value + delta }, shard.Value.ETag)
            : new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = partition, RowKey = rowKey, Value = delta });
    }

    public static async Task<long> TotalAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var shard in table.QueryAsync<CounterEntity>(Pages.Range(partition, Prefix), cancellationToken: cancellationToken))
        {
            total += shard.Value;
        }

        return total;
    }
}
