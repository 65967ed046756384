using System.Runtime.Serialization;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>One delivery: one (event, check). Its body is built once, at fan-out, so every attempt sends the same bytes.</summary>
internal sealed record DeliveryEntity : ChunkedPayloadRow
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long MergeRequestIid { get; set; }

    public long CheckId { get; set; }

    public string EventId { get; set; } = "";

    /// <summary>The payload's <c>object_attributes.action</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>
    /// The JSON body every attempt sends: the event's shared part (<see cref="SharedBody"/>, stored once per event in
    /// the row <see cref="PayloadKey"/> names) followed by this delivery's own <see cref="BodyTail"/>. A row written
    /// before the shared part existed holds the whole body in its own payload properties.
    /// </summary>
    [IgnoreDataMember]
    public string Body => SharedBody is { } shared ? shared + BodyTail : DeliveryPayload.Read(this);

    /// <summary>The event's shared part of the body, filled in by the store from the <see cref="PayloadKey"/> row.</summary>
    [IgnoreDataMember]
    public string? SharedBody { get; set; }

    /// <summary>The row key of the event's <see cref="EventPayloadEntity"/> in this partition (null in rows from before it).</summary>
    public string? PayloadKey { get; set; }

    /// <summary>What follows the shared part: this delivery's own end of the body (the check it names).</summary>
    public string BodyTail { get; set; } = "";

    public string Status { get; set; } = DeliveryStatuses.Pending;

    /// <summary>Attempts recorded so far; the next queued message must carry <c>Attempts + 1</c>.</summary>
    public int Attempts { get; set; }

    /// <summary>The attempt being sent right now (0 = none), claimed until <see cref="SendingUntil"/>.</summary>
    public int SendingAttempt { get; set; }

    public DateTimeOffset? SendingUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
