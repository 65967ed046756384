using Azure;
using Azure.Data.Tables;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>Table <c>UrlHealth</c>, one row per URL (keys: <see cref="Keys"/>). Only failing URLs have a row.</summary>
internal sealed class TableUrlHealthStore(StatusChecksTables tables, TimeProvider time) : IUrlHealthStore
{
    public const string TableName = "UrlHealth";
    private const string RowKey = "health";

    public async Task<(UrlHealthState State, ETag ETag)> GetAsync(string urlHash, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<UrlHealthEntity>(urlHash, RowKey, cancellationToken: cancellationToken);
        return row.HasValue ? (new UrlHealthState(row.Value!.ConsecutiveFailures, row.Value.DisabledUntil), row.Value.ETag) : (UrlHealthState.Healthy, default);
    }

    public async Task SetAsync(string urlHash, UrlHealthState state, ETag etag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entity = new UrlHealthEntity
        {
            PartitionKey = urlHash,
            RowKey = RowKey,
            ConsecutiveFailures = state.ConsecutiveFailures,
            DisabledUntil = state.DisabledUntil,
            UpdatedAt = time.GetUtcNow(),
        };
        await Transactions.WriteAsync(() => etag == default
            ? table.AddEntityAsync(entity, cancellationToken)
            : table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken));
    }
}
