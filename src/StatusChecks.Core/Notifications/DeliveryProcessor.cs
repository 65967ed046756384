using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>Handles one message of the <see cref="NotificationQueueNames.Deliveries"/> queue.</summary>
public interface IDeliveryProcessor
{
    Task HandleAsync(DeliveryMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One attempt that the fan-out did not make itself (a retry, a redelivery, a delivery handed over): claim it, POST,
/// queue the retry the schedule asks for, record. A URL that is temporarily disabled is not sent to: the delivery
/// waits for it (see <see cref="DeliveryAttempts.DeferAsync"/>). A host with no free slot in this instance gets the
/// message back later, so a dead host never holds more than its share of the instance's delivery capacity.
/// </summary>
internal sealed class DeliveryProcessor(
    IDeliveryStore deliveries,
    IStatusCheckStore checks,
    DeliveryAttempts attempts,
    UrlHealthTracker health,
    HostSlots slots,
    INotificationQueues queues,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger) : IDeliveryProcessor
{
    private const int MaxWriteAttempts = 10;

    public async Task HandleAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        // The check is read alongside the delivery: one storage round trip less on the path of every delivery.
        var deliveryRead = deliveries.GetAsync(message.ProjectId, message.MergeRequestIid, message.CheckId, message.DeliveryId, cancellationToken);
        var checkRead = checks.GetAsync(message.ProjectId, message.CheckId, cancellationToken);
        await Task.WhenAll(deliveryRead, checkRead);
        var delivery = await deliveryRead;
        var check = await checkRead;
        if (!await ShouldSendAsync(delivery, message, cancellationToken))
        {
            return;
        }

        var url = check is null ? null : new Uri(check.ExternalUrl);
        if (url is not null && await health.GetAsync(url, cancellationToken) is { } state && state.IsDisabled(time.GetUtcNow()))
        {
            var (deferred, entry) = await attempts.DeferAsync(delivery!, message, state, cancellationToken);
            await attempts.RecordAsync(deferred, entry, cancellationToken);
            return;
        }

        using var slot = url is null ? null : await slots.TryTakeAsync(url, TimeSpan.Zero, cancellationToken);
        if (url is not null && slot is null)
        {
            logger.LogInformation("Delivery {DeliveryId} attempt {Attempt}: the URL's host has no free slot here; handed back to the queue", message.DeliveryId, message.Attempt);
            await attempts.HandOverAsync(message, url, cancellationToken);
            return;
        }

        if (await ClaimAsync(delivery!, message, cancellationToken) is not { } claimed)
        {
            return;
        }

        var result = await attempts.SendAsync(claimed, check, cancellationToken);
        var (recorded, attempt) = await attempts.AfterSendAsync(claimed, message, result, cancellationToken);
        await attempts.RecordAsync(recorded, attempt, cancellationToken);
    }

    private async Task<bool> ShouldSendAsync(DeliveryEntity? delivery, DeliveryMessage message, CancellationToken cancellationToken)
    {
        switch (DeliveryRules.Decide(delivery, message, time.GetUtcNow()))
        {
            case DeliveryDecision.Skip skip:
                logger.LogInformation("Delivery {DeliveryId} attempt {Attempt} skipped: {Reason}", message.DeliveryId, message.Attempt, skip.Reason);
                return false;
            case DeliveryDecision.Defer defer:
                await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), defer.Delay, cancellationToken);
                return false;
            default:
                return true;
        }
    }

    private async Task<DeliveryEntity?> ClaimAsync(DeliveryEntity delivery, DeliveryMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var now = time.GetUtcNow();
                return await deliveries.UpdateAsync(
                    delivery with { Status = DeliveryStatuses.Pending, SendingAttempt = message.Attempt, SendingUntil = attempts.ClaimUntil(now), UpdatedAt = now },
                    cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
                delivery = (await deliveries.GetAsync(message.ProjectId, message.MergeRequestIid, message.CheckId, message.DeliveryId, cancellationToken))!;
                if (!await ShouldSendAsync(delivery, message, cancellationToken))
                {
                    return null;
                }
            }
        }
    }
}
