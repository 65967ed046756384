using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StatusChecks.Core.Storage;

public interface IStorageHealthProbe
{
    /// <summary>True when both Table and Queue storage answer within the operation timeout.</summary>
    Task<StorageHealth> CheckAsync(CancellationToken cancellationToken);
}

public sealed record StorageHealth(bool Tables, bool Queues)
{
    public bool Healthy => Tables && Queues;
}

internal sealed class StorageHealthProbe(
    TableServiceClient tables,
    QueueServiceClient queues,
    IOptions<StorageOptions> options,
    ILogger<StorageHealthProbe> logger) : IStorageHealthProbe
{
    public async Task<StorageHealth> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.OperationTimeout);
        var tablesUp = ProbeAsync("Table", ct => tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), timeout.Token);
        var queuesUp = ProbeAsync("Queue", ct => queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), timeout.Token);
        return new StorageHealth(await tablesUp, await queuesUp);
    }

    private async Task<bool> ProbeAsync(string service, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            logger.LogWarning("{Service} storage is unreachable: {Reason}", service, ex.Message);
            return false;
        }
    }
}
