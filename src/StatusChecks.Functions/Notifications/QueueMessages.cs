using Microsoft.Extensions.Logging;

namespace StatusChecks.Functions.Notifications;

internal static class QueueMessages
{
    /// <summary>
    /// Decodes a message; one that cannot be decoded is logged (never its content) and the exception rethrown, so the
    /// host retries it up to maxDequeueCount and then moves it to the poison queue, where it stays for inspection.
    /// </summary>
    public static T Decode<T>(string message, Func<string, T> decode, string queue, string messageId, long dequeueCount, ILogger logger)
    {
        try
        {
            return decode(message);
        }
        catch (FormatException e)
        {
            logger.LogError(
                "Message {MessageId} on queue {Queue} cannot be decoded (attempt {DequeueCount}; it goes to {Queue}-poison after the last): {Error}",
                messageId, queue, dequeueCount, queue, e.Message);
            throw;
        }
    }
}
