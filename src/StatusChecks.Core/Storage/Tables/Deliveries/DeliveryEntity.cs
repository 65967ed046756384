using System.Runtime.Serialization;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>One delivery: one (event, check). Holds the payload as built at fan-out, so every attempt sends the same body.</summary>
internal sealed record DeliveryEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long MergeRequestIid { get; set; }

    public long CheckId { get; set; }

    public string EventId { get; set; } = "";

    /// <summary>The payload's <c>object_attributes.action</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>
    /// The JSON body every attempt sends. Stored as UTF-8 in up to <see cref="DeliveryPayload.Chunks"/> binary properties
    /// (one string property holds only 32K characters; a payload with a long description is larger).
    /// </summary>
    [IgnoreDataMember]
    public string Body
    {
        get => DeliveryPayload.Read(this);
        set => DeliveryPayload.Write(this, value);
    }

    /// <summary>The body as rows written before chunking hold it; never written now.</summary>
    public string? Payload { get; set; }

    public byte[]? PayloadBytes00 { get; set; }

    public byte[]? PayloadBytes01 { get; set; }

    public byte[]? PayloadBytes02 { get; set; }

    public byte[]? PayloadBytes03 { get; set; }

    public byte[]? PayloadBytes04 { get; set; }

    public byte[]? PayloadBytes05 { get; set; }

    public byte[]? PayloadBytes06 { get; set; }

    public byte[]? PayloadBytes07 { get; set; }

    public byte[]? PayloadBytes08 { get; set; }

    public byte[]? PayloadBytes09 { get; set; }

    public byte[]? PayloadBytes10 { get; set; }

    public byte[]? PayloadBytes11 { get; set; }

    public string Status { get; set; } = DeliveryStatuses.Pending;

    /// <summary>Attempts recorded so far; the next queued message must carry <c>Attempts + 1</c>.</summary>
    public int Attempts { get; set; }

    /// <summary>The attempt being sent right now (0 = none), claimed until <see cref="SendingUntil"/>.</summary>
    public int SendingAttempt { get; set; }

    public DateTimeOffset? SendingUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
