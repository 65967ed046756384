namespace StatusChecks.Core.Storage.Tables;

/// <summary>One attempt of a delivery (append-only): the delivery log of docs/API.md (Delivery log).</summary>
internal sealed record DeliveryAttemptEntity : AttemptRow
{
    public long DeliveryId { get; set; }

    public string EventId { get; set; } = "";

    public string Action { get; set; } = "";
}
