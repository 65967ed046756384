using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Functions.Notifications;

/// <summary>
/// <c>deliveries</c>: one attempt of one delivery (POST to the check's URL); retries are new messages with a
/// visibility delay, so no invocation ever waits. Undecodable messages end in <c>deliveries-poison</c>.
/// </summary>
public sealed class DeliveryFunction(IDeliveryProcessor deliveries, ILogger<DeliveryFunction> logger)
{
    [Function("NotificationDelivery")]
    public async Task Run(
        [QueueTrigger(NotificationQueueNames.Deliveries)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var delivery = QueueMessages.Decode(message, NotificationMessages.DecodeDelivery, NotificationQueueNames.Deliveries, id, dequeueCount, logger);
        await deliveries.HandleAsync(delivery, cancellationToken);
    }
}
