using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>Handles one message of the <see cref="NotificationQueueNames.Deliveries"/> queue.</summary>
public interface IDeliveryProcessor
{
    Task HandleAsync(DeliveryMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One attempt: claim it, POST, then (on a retryable failure with attempts left) queue the next attempt with the
/// schedule's delay as its visibility timeout, and record the attempt. The next attempt is queued BEFORE the record:
/// if recording fails the host retries this message, which then resends (at-least-once) instead of ending the chain.
/// </summary>
internal sealed class DeliveryProcessor(
    IDeliveryStore deliveries,
    IStatusCheckStore checks,
    ISecretProtector secrets,
    WebhookSender sender,
    INotificationQueues queues,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<DeliveryProcessor> logger) : IDeliveryProcessor
{
    private const int MaxWriteAttempts = 10;

    public async Task HandleAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        // The check is read alongside the claim: one storage round trip less on the path of every delivery.
        var claim = ClaimAsync(message, cancellationToken);
        var checkRead = checks.GetAsync(message.ProjectId, message.CheckId, cancellationToken);
        await Task.WhenAll(claim, checkRead);
        if (await claim is not { } claimed)
        {
            return;
        }

        var result = await SendAsync(claimed, await checkRead, cancellationToken);
        var retryIn = result.Retryable ? RetrySchedule.Parse(options.Value.RetrySchedule).DelayAfter(message.AttemptInRound) : null;
        if (retryIn is { } delay)
        {
            await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message.Next()), delay, cancellationToken);
        }

        await RecordAsync(claimed, message, result, retryIn, cancellationToken);
    }

    private async Task<DeliveryEntity?> ClaimAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delivery = await deliveries.GetAsync(message.ProjectId, message.MergeRequestIid, message.CheckId, message.DeliveryId, cancellationToken);
            var now = time.GetUtcNow();
            switch (DeliveryRules.Decide(delivery, message, now))
            {
                case DeliveryDecision.Skip skip:
                    logger.LogInformation("Delivery {DeliveryId} attempt {Attempt} skipped: {Reason}", message.DeliveryId, message.Attempt, skip.Reason);
                    return null;
                case DeliveryDecision.Defer defer:
                    await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), defer.Delay, cancellationToken);
                    return null;
            }

            try
            {
                // Claimed for longer than a send can take, so a crashed sender's attempt is taken over, never doubled.
                return await deliveries.UpdateAsync(
                    delivery! with
                    {
                        Status = DeliveryStatuses.Pending,
                        SendingAttempt = message.Attempt,
                        SendingUntil = now + options.Value.RequestTimeout + TimeSpan.FromSeconds(30),
                        UpdatedAt = now,
                    },
                    cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
            }
        }
    }

    private async Task<WebhookResult> SendAsync(DeliveryEntity delivery, StatusCheckEntity? check, CancellationToken cancellationToken)
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

        var idempotencyKey = Domain.EventIds.FromKey($"delivery:{delivery.EventId}:{delivery.CheckId}");
        return await sender.SendAsync(new WebhookRequest(new Uri(check.ExternalUrl), Guid.Parse(delivery.EventId), idempotencyKey, delivery.Body, secret), cancellationToken);
    }

    private async Task RecordAsync(DeliveryEntity claimed, DeliveryMessage message, WebhookResult result, TimeSpan? retryIn, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = result.Succeeded ? DeliveryStatuses.Succeeded : retryIn is null ? DeliveryStatuses.Failed : DeliveryStatuses.Retrying;
        var attempt = new DeliveryAttemptEntity
        {
            DeliveryId = claimed.Id,
            EventId = claimed.EventId,
            Action = claimed.Action,
            Attempt = message.Attempt,
            Trigger = DeliveryRules.Trigger(message),
            Status = status,
            ResponseCode = result.ResponseCode,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Error = result.Error,
            At = now,
        };
        try
        {
            await deliveries.RecordAsync(
                claimed with
                {
                    Attempts = message.Attempt,
                    Status = status == DeliveryStatuses.Retrying ? DeliveryStatuses.Pending : status,
                    SendingAttempt = 0,
                    SendingUntil = null,
                    UpdatedAt = now,
                },
                attempt,
                cancellationToken);
            logger.LogInformation(
                "Delivery {DeliveryId} of event {EventId} to check {CheckId}, attempt {Attempt}: {Status} ({ResponseCode}, {DurationMs} ms) {Error}",
                claimed.Id, claimed.EventId, claimed.CheckId, message.Attempt, status, result.ResponseCode, attempt.DurationMs, result.Error ?? "");
        }
        catch (DuplicateKeyException)
        {
            logger.LogWarning("Delivery {DeliveryId} attempt {Attempt} was recorded by another processor", claimed.Id, message.Attempt);
        }
        catch (ConcurrencyException)
        {
            // Only a claim writes the row between our claim and this record: another processor took the attempt over
            // (ours outlived SendingUntil) and records it itself.
            logger.LogWarning("Delivery {DeliveryId} attempt {Attempt}: the claim was taken over; not recorded", claimed.Id, message.Attempt);
        }
    }
}
