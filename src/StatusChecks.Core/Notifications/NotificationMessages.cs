using System.Text.Json;
using System.Text.Json.Serialization;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Notifications;

/// <summary>The queues of the notification fan-out (3-63 lower-case letters, digits and dashes).</summary>
public static class NotificationQueueNames
{
    /// <summary>One message per <see cref="MergeRequestEvent"/>.</summary>
    public const string Events = "mr-events";

    /// <summary>Attempts the fan-out does not make itself: retries, redeliveries, deliveries it handed over.</summary>
    public const string Deliveries = "deliveries";
}

/// <summary>
/// One attempt of one delivery. <see cref="RoundStart"/> is the attempt that began the current round of retries:
/// 1 for the event itself, later for a redelivery, so the retry schedule restarts with each round.
/// <see cref="Deferrals"/> counts the log entries of this round that were not sent because the URL was temporarily
/// disabled: they do not use up the retry schedule.
/// </summary>
public sealed record DeliveryMessage(long DeliveryId, long ProjectId, long MergeRequestIid, long CheckId, int Attempt, int RoundStart, int Deferrals = 0)
{
    /// <summary>The position of <see cref="Attempt"/> in its round, from 1, deferrals not counted.</summary>
    public int AttemptInRound => Attempt - RoundStart + 1 - Deferrals;

    public DeliveryMessage Next() => this with { Attempt = Attempt + 1 };

    /// <summary>The next entry after this one was deferred (not sent).</summary>
    public DeliveryMessage NextAfterDeferral() => this with { Attempt = Attempt + 1, Deferrals = Deferrals + 1 };
}

/// <summary>Queue message bodies (JSON; the queue client adds the base64 the Functions host expects).</summary>
public static class NotificationMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Encode(MergeRequestEvent mergeRequestEvent) => JsonSerializer.Serialize(mergeRequestEvent, Json);

    public static string Encode(DeliveryMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>Throws <see cref="FormatException"/> for anything but a complete event.</summary>
    public static MergeRequestEvent DecodeEvent(string text)
    {
        var decoded = Deserialize<MergeRequestEvent>(text);
        return decoded is { ProjectId: > 0, MergeRequestId: > 0, MergeRequestIid: > 0, Sha.Length: > 0, TargetBranch: not null, CheckIds: not null, Actor: not null }
               && decoded.EventId != Guid.Empty
               && Enum.IsDefined(decoded.Kind)
            ? decoded
            : throw new FormatException("The message is not a complete merge request event.");
    }

    /// <summary>Throws <see cref="FormatException"/> for anything but a complete delivery message.</summary>
    public static DeliveryMessage DecodeDelivery(string text)
    {
        var decoded = Deserialize<DeliveryMessage>(text);
        return decoded is { DeliveryId: > 0, ProjectId: > 0, MergeRequestIid: > 0, CheckId: > 0, RoundStart: > 0, Deferrals: >= 0 }
               && decoded.Attempt >= decoded.RoundStart
               && decoded.Deferrals <= decoded.Attempt - decoded.RoundStart
            ? decoded
            : throw new FormatException("The message is not a complete delivery message.");
    }

    private static T? Deserialize<T>(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException e)
        {
            // Not e.Message: it can quote the message's content.
            throw new FormatException($"The message is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}, path {e.Path}).", e);
        }
    }
}
