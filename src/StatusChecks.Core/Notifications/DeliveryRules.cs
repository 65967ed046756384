using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>What to do with one delivery message, given the delivery as stored.</summary>
internal abstract record DeliveryDecision
{
    private DeliveryDecision()
    {
    }

    /// <summary>Claim the attempt and send it.</summary>
    public sealed record Send : DeliveryDecision;

    /// <summary>Nothing to do (a duplicate message, or the delivery finished).</summary>
    public sealed record Skip(string Reason) : DeliveryDecision;

    /// <summary>Another processor is sending this attempt right now: look again after its claim ends.</summary>
    public sealed record Defer(TimeSpan Delay) : DeliveryDecision;
}

/// <summary>
/// At-least-once delivery, idempotent per (event, check): a message is acted on only when it carries the next
/// attempt of its delivery, so a redelivered queue message never sends again after a recorded attempt (success
/// included). A claim on the delivery row keeps two copies of one message from sending at the same time.
/// </summary>
internal static class DeliveryRules
{
    public static DeliveryDecision Decide(DeliveryEntity? delivery, DeliveryMessage message, DateTimeOffset now)
    {
        if (delivery is null)
        {
            return new DeliveryDecision.Skip("the delivery does not exist");
        }

        if (delivery.Attempts >= message.Attempt)
        {
            return new DeliveryDecision.Skip($"attempt {message.Attempt} is recorded already");
        }

        if (delivery.Attempts + 1 != message.Attempt)
        {
            return new DeliveryDecision.Skip($"attempt {message.Attempt} is not the next one ({delivery.Attempts + 1})");
        }

        // A finished delivery sends again only when asked to (a redelivery starts a round).
        if (delivery.Status != DeliveryStatuses.Pending && message.Attempt != message.RoundStart)
        {
            return new DeliveryDecision.Skip($"the delivery is {delivery.Status}");
        }

        return delivery.SendingAttempt == message.Attempt && delivery.SendingUntil is { } until && until > now
            ? new DeliveryDecision.Defer(until - now)
            : new DeliveryDecision.Send();
    }

    /// <summary>
    /// Whether a non-2xx answer is worth another attempt: 408, 429 and 5xx are passing troubles of the receiver. Any
    /// other answer is final: a receiver may answer 4xx to mean "not for me", and GitLab never retries a non-2xx.
    /// </summary>
    public static bool IsRetryable(int statusCode) => statusCode is 408 or 429 or >= 500;

    /// <summary>Why the attempt is made: <c>event</c>, <c>retry</c> or <c>redeliver</c>.</summary>
    public static string Trigger(DeliveryMessage message) =>
        message.Attempt != message.RoundStart ? "retry" : message.RoundStart == 1 ? "event" : "redeliver";
}
