using Azure;
using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

internal static class Transactions
{
    /// <summary>
    /// Submits one entity-group transaction. A 409 on one of the <paramref name="uniqueRows"/> (row key -> field) is a
    /// duplicate; any other 409/412/404 means a row changed under us and the caller should re-read and retry.
    /// Returns one response per action, in order (e.g. for the new ETag of a written row).
    /// </summary>
    public static async Task<IReadOnlyList<Response>> SubmitAsync(
        TableClient table,
        IReadOnlyList<TableTransactionAction> actions,
        IReadOnlyDictionary<string, string> uniqueRows,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await table.SubmitTransactionAsync(actions, cancellationToken)).Value;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            if (e.Status == 409)
            {
                var field = await FindDuplicateAsync(table, actions, e.FailedTransactionActionIndex, uniqueRows, cancellationToken);
                if (field is not null)
                {
                    throw new DuplicateKeyException(field, e);
                }
            }

            throw new ConcurrencyException(e);
        }
    }

    /// <summary>A single-row write with the same translation (no unique rows).</summary>
    public static async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            throw new ConcurrencyException(e);
        }
    }

    private static async Task<string?> FindDuplicateAsync(
        TableClient table,
        IReadOnlyList<TableTransactionAction> actions,
        int? failedIndex,
        IReadOnlyDictionary<string, string> uniqueRows,
        CancellationToken cancellationToken)
    {
        if (failedIndex is { } index && index >= 0 && index < actions.Count)
        {
            return uniqueRows.GetValueOrDefault(actions[index].Entity.RowKey);
        }

        // The service did not say which action failed: look for an index row that now exists.
        var partition = actions[0].Entity.PartitionKey;
        foreach (var (rowKey, field) in uniqueRows)
        {
            var existing = await table.GetEntityIfExistsAsync<IndexEntity>(partition, rowKey, cancellationToken: cancellationToken);
            if (existing.HasValue)
            {
                return field;
            }
        }

        return null;
    }
}
