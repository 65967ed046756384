using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Queues;

/// <summary>
/// Processes one received message the way the Functions queue extension does: invoke; on success delete; on
/// failure make it visible again after visibilityTimeout; after maxDequeueCount attempts (or if it cannot be
/// decoded) move it to the poison queue.
/// </summary>
internal sealed class QueueMessageHandler(
    FunctionDescriptor function,
    QueueClient queue,
    QueueClient poisonQueue,
    QueuesSettings settings,
    TimeSpan lease,
    IFunctionInvoker invoker,
    ILogger logger)
{
    private int poisonQueueCreated;

    /// <summary>How long a received message stays invisible; renewed while its invocation runs.</summary>
    public TimeSpan Lease => lease;

    /// <summary>Never throws (it runs unobserved next to the other messages of a batch), except on shutdown.</summary>
    public async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutdown: the message becomes visible again when its lease ends.
        }
        catch (Exception ex) when (ex is WorkerUnavailableException || StorageFailure.IsTransient(ex, cancellationToken))
        {
            // The message becomes visible again when its lease ends, and is retried then.
            logger.LogWarning("Message {MessageId} on queue {Queue}: {Error}", message.MessageId, queue.Name, ex.Message);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            // Delivered more often than allowed without a verdict (e.g. the host died mid-invocation).
            await MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
            return;
        }

        var payload = QueueBindingConverter.Decode(message.Body.ToString(), settings.Base64Encoding);
        if (payload is null)
        {
            logger.LogError("Message {MessageId} on queue {Queue} is not valid base64 (host.json messageEncoding); moving it to {Poison}",
                message.MessageId, queue.Name, poisonQueue.Name);
            await MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
            return;
        }

        var request = QueueBindingConverter.ToInvocationRequest(function, message, payload, Guid.NewGuid().ToString());
        var invocation = InvokeAsync(request, cancellationToken);
        var popReceipt = await KeepInvisibleAsync(invocation, message, cancellationToken);
        var (succeeded, error) = await invocation;
        if (succeeded)
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        }
        else if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            logger.LogError("Function {Function} failed on message {MessageId} after {Count} attempts ({Error}); moving it to {Poison}",
                function.Name, message.MessageId, message.DequeueCount, error, poisonQueue.Name);
            await MoveToPoisonAsync(message, popReceipt, cancellationToken);
        }
        else
        {
            logger.LogWarning("Function {Function} failed on message {MessageId} (attempt {Count} of {Max}): {Error}",
                function.Name, message.MessageId, message.DequeueCount, settings.MaxDequeueCount, error);
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
        }
    }

    private async Task<(bool Succeeded, string? Error)> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await invoker.InvokeAsync(request, cancellationToken);
            return response.Result?.Status == StatusResult.Types.Status.Success
                ? (true, null)
                : (false, response.Result?.Exception?.Message ?? response.Result?.Result);
        }
        catch (WorkerUnavailableException ex)
        {
            return (false, ex.Message); // the message stays on the queue and is retried like any failure
        }
    }

    /// <summary>
    /// Extends the message's invisibility every half lease while the invocation runs, so a slow function does not
    /// get the same message delivered twice. Returns the latest pop receipt (each update issues a new one).
    /// </summary>
    private async Task<string> KeepInvisibleAsync(Task invocation, QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        using var timer = new PeriodicTimer(lease / 2);
        while (await Task.WhenAny(invocation, timer.WaitForNextTickAsync(cancellationToken).AsTask()) != invocation)
        {
            try
            {
                var update = await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: lease, cancellationToken: cancellationToken);
                popReceipt = update.Value.PopReceipt;
            }
            catch (Exception ex) when (StorageFailure.IsTransient(ex, cancellationToken))
            {
                logger.LogWarning("Could not extend the visibility of message {MessageId}: {Error}", message.MessageId, ex.Message);
                await invocation;
            }
        }

        return popReceipt;
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref poisonQueueCreated, 1) == 0)
        {
            await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        // The stored text is copied as is, so the poison queue holds exactly what the source queue held.
        await poisonQueue.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        logger.LogWarning("Message {MessageId} moved from {Queue} to {Poison}", message.MessageId, queue.Name, poisonQueue.Name);
    }
}
