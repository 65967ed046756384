using System.Collections.Concurrent;
using Azure.Storage.Queues;

namespace StatusChecks.Core.Notifications;

internal interface INotificationQueues
{
    /// <summary>Sends <paramref name="text"/>; with <paramref name="delay"/> it becomes visible only after that time.</summary>
    Task SendAsync(string queueName, string text, TimeSpan? delay, CancellationToken cancellationToken);
}

/// <summary>
/// Sends to the notification queues, each created on first use (once per process; a failed creation is
/// forgotten so the next send tries again). The client's base64 encoding is what the Functions host expects.
/// </summary>
internal sealed class NotificationQueues(QueueServiceClient service) : INotificationQueues
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new();

    public async Task SendAsync(string queueName, string text, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = await GetAsync(queueName, cancellationToken);
        await queue.SendMessageAsync(text, visibilityTimeout: WholeSeconds(delay), cancellationToken: cancellationToken);
    }

    /// <summary>The queue service counts visibility in whole seconds (it would drop 0.5 s to 0): round up.</summary>
    internal static TimeSpan? WholeSeconds(TimeSpan? delay) =>
        delay > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(delay.Value.TotalSeconds)) : null;

    private async Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var queue = queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(() => CreateAsync(n)));
        try
        {
            return await queue.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (queue.Value.IsFaulted || queue.Value.IsCanceled)
        {
            queues.TryRemove(KeyValuePair.Create(name, queue));
            throw;
        }
    }

    private async Task<QueueClient> CreateAsync(string name)
    {
        var client = service.GetQueueClient(name);
        // Not the caller's token: the creation is shared by every sender waiting for it.
        await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        return client;
    }
}
