using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Functions.Notifications;

/// <summary>
/// <c>mr-events</c> -> one message per (event, applicable check) on <c>deliveries</c>. A message that is not an
/// event is logged and fails, so the host retries it and then moves it to <c>mr-events-poison</c>.
/// </summary>
public sealed class NotificationFanOutFunction(INotificationFanOut fanOut, ILogger<NotificationFanOutFunction> logger)
{
    [Function("NotificationFanOut")]
    public async Task Run(
        [QueueTrigger(NotificationQueueNames.Events)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var mergeRequestEvent = QueueMessages.Decode(message, NotificationMessages.DecodeEvent, NotificationQueueNames.Events, id, dequeueCount, logger);
        await fanOut.HandleAsync(mergeRequestEvent, cancellationToken);
    }
}
