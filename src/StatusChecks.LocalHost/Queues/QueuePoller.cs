using Azure;
using Azure.Storage.Queues;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Queues;

/// <summary>
/// The polling loop of one queue-triggered function: receive up to batchSize messages, handle them concurrently,
/// fetch the next batch once no more than newBatchThreshold are still running; back off while the queue is empty.
/// </summary>
internal sealed class QueuePoller(QueueClient queue, QueueMessageHandler handler, QueuesSettings settings, ILogger logger)
{
    private readonly List<Task> running = [];

    public int Running => running.Count;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new PollingBackoff(settings.MaxPollingInterval);
        var created = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = 0;
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    created = true;
                    logger.LogInformation("Listening to queue {Queue}", queue.Name);
                }

                received = await PollOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (StorageFailure.IsTransient(ex, cancellationToken))
            {
                logger.LogWarning("Polling queue {Queue} failed: {Error}", queue.Name, ex.Message);
            }

            if (received > 0)
            {
                backoff.Reset();
                continue;
            }

            try
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running);
    }

    /// <summary>Receives one batch, starts handling it, and returns (the count) once the next batch may be fetched.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, handler.Lease, cancellationToken)).Value;
        running.AddRange(messages.Select(message => handler.HandleAsync(message, cancellationToken)));
        running.RemoveAll(task => task.IsCompleted);
        while (running.Count > settings.NewBatchThreshold)
        {
            await Task.WhenAny(running);
            running.RemoveAll(task => task.IsCompleted);
        }

        return messages.Length;
    }
}
