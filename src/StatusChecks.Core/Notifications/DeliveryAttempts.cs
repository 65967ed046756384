using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// What the fan-out (inline) and the delivery processor (queue) share: sending one attempt, the next step after it
/// (retry message, deferral), and the record of it. The next message is always queued BEFORE the record: if
/// recording fails, the attempt is made again (at-least-once) instead of the chain ending.
/// </summary>
internal sealed class DeliveryAttempts(
    ISecretProtector secrets,
    WebhookSender sender,
    UrlHealthTracker health,
    HostSlots slots,
    INotificationQueues queues,
    IDeliveryStore deliveries,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<DeliveryAttempts> logger)
{
    /// <summary>How long past its request timeout an attempt stays claimed, so a crashed sender's attempt is taken over, never doubled.</summary>
    public static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    public DateTimeOffset ClaimUntil(DateTimeOffset now) => now + options.Value.RequestTimeout + ClaimMargin;

    /// <summary>POSTs the delivery to the check's URL and notes the outcome in the URL's shared failure state.</summary>
    public async Task<WebhookResult> SendAsync(DeliveryEntity delivery, StatusCheckEntity? check, CancellationToken cancellationToken)
    {
        if (check is null)
        {
            return WebhookResult.Refused("The status check was deleted.");
        }

        string? secret;
        try
        {
            secret = check.ProtectedSecret is null ? null : secrets.Unprotect(check.ProtectedSecret);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or InvalidOperationException)
        {
            logger.LogError("The shared secret of status check {CheckId} cannot be decrypted: {Error}", check.Id, e.Message);
            return WebhookResult.Refused("The shared secret cannot be decrypted (was StatusChecks:SecretsKey changed?).");
        }

        var url = new Uri(check.ExternalUrl);
        var idempotencyKey = Domain.EventIds.FromKey($"delivery:{delivery.EventId}:{delivery.CheckId}");
        var result = await sender.SendAsync(new WebhookRequest(url, Guid.Parse(delivery.EventId), idempotencyKey, delivery.Body, secret), cancellationToken);
        await health.RecordAsync(url, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// After a sent attempt: queues the retry the schedule asks for, and returns the delivery's new state with the
    /// attempt row to record.
    /// </summary>
    public async Task<(DeliveryEntity State, DeliveryAttemptEntity Attempt)> AfterSendAsync(
        DeliveryEntity claimed, DeliveryMessage message, WebhookResult result, CancellationToken cancellationToken)
    {
        var retryIn = result.Retryable ? RetrySchedule.Parse(options.Value.RetrySchedule).DelayAfter(message.AttemptInRound) : null;
        if (retryIn is { } delay)
        {
            await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message.Next()), delay, cancellationToken);
        }

        var status = result.Succeeded ? DeliveryStatuses.Succeeded : retryIn is null ? DeliveryStatuses.Failed : DeliveryStatuses.Retrying;
        return Entry(claimed, message, status, result.ResponseCode, (long)result.Duration.TotalMilliseconds, result.Error);
    }

    /// <summary>
    /// The URL is temporarily disabled: nothing is sent; the delivery waits (a queue message visible when the URL comes
    /// back) and the log says why. The wait does not use up the retry schedule.
    /// </summary>
    public async Task<(DeliveryEntity State, DeliveryAttemptEntity Attempt)> DeferAsync(
        DeliveryEntity delivery, DeliveryMessage message, UrlHealthState state, CancellationToken cancellationToken)
    {
        var until = state.DisabledUntil ?? time.GetUtcNow();
        // Spread the waiting deliveries of one URL over a few seconds instead of all at the same instant.
        var delay = until - time.GetUtcNow() + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5_000));
        await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message.NextAfterDeferral()), delay, cancellationToken);
        var error = string.Create(
            CultureInfo.InvariantCulture,
            $"Not sent: the URL is temporarily disabled until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} after {state.ConsecutiveFailures} consecutive failures; the delivery waits for it");
        return Entry(delivery, message, DeliveryStatuses.Retrying, null, 0, error);
    }

    /// <summary>The host has no free delivery slot here: the same attempt, later, through the queue (nothing recorded).</summary>
    public Task HandOverAsync(DeliveryMessage message, Uri url, CancellationToken cancellationToken) =>
        queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), slots.BookLater(url), cancellationToken);

    /// <summary>Records one entry; a record another processor made or took over is logged, not thrown.</summary>
    public async Task RecordAsync(DeliveryEntity state, DeliveryAttemptEntity attempt, CancellationToken cancellationToken)
    {
        try
        {
            await deliveries.RecordAsync(state, attempt, cancellationToken);
            Log(state, attempt);
        }
        catch (DuplicateKeyException)
        {
            logger.LogWarning("Delivery {DeliveryId} attempt {Attempt} was recorded by another processor", state.Id, attempt.Attempt);
        }
        catch (ConcurrencyException)
        {
            // Only a claim writes the row between our claim and this record: another processor took the attempt over
            // (ours outlived SendingUntil) and records it itself.
            logger.LogWarning("Delivery {DeliveryId} attempt {Attempt}: the claim was taken over; not recorded", state.Id, attempt.Attempt);
        }
    }

    public void Log(DeliveryEntity state, DeliveryAttemptEntity attempt) =>
        logger.LogInformation(
            "Delivery {DeliveryId} of event {EventId} to check {CheckId}, attempt {Attempt}: {Status} ({ResponseCode}, {DurationMs} ms) {Error}",
            state.Id, state.EventId, state.CheckId, attempt.Attempt, attempt.Status, attempt.ResponseCode, attempt.DurationMs, attempt.Error ?? "");

    private (DeliveryEntity State, DeliveryAttemptEntity Attempt) Entry(
        DeliveryEntity delivery, DeliveryMessage message, string status, int? responseCode, long durationMs, string? error)
    {
        var now = time.GetUtcNow();
        var attempt = new DeliveryAttemptEntity
        {
            DeliveryId = delivery.Id,
            EventId = delivery.EventId,
            Action = delivery.Action,
            Attempt = message.Attempt,
            Trigger = DeliveryRules.Trigger(message),
            Status = status,
            ResponseCode = responseCode,
            DurationMs = durationMs,
            Error = error,
            At = now,
        };
        var state = delivery with
        {
            Attempts = message.Attempt,
            Status = status == DeliveryStatuses.Retrying ? DeliveryStatuses.Pending : status,
            SendingAttempt = 0,
            SendingUntil = null,
            UpdatedAt = now,
        };
        return (state, attempt);
    }
}
