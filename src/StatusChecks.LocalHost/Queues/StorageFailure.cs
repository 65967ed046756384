using Azure;

namespace StatusChecks.LocalHost.Queues;

/// <summary>What a queue call throws when storage is down, restarting or too slow to answer.</summary>
internal static class StorageFailure
{
    /// <summary>
    /// True for a failed or unanswered storage call: the SDK's own errors, transport errors, its network timeout
    /// (a cancellation the caller did not ask for) and, once its retries are spent on several of these, the
    /// <see cref="AggregateException"/> Azure.Core throws. A listener must outlive all of them: an escaping one
    /// ends the BackgroundService, which stops the whole host and resets every open HTTP connection.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        RequestFailedException or IOException or HttpRequestException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => IsTransient(inner, callerToken)),
        _ => false,
    };
}
