using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>One attempt of a delivery (append-only): the delivery log of docs/API.md (Delivery log).</summary>
internal sealed record DeliveryAttemptEntity : Row
{
    public long DeliveryId { get; set; }

    public string EventId { get; set; } = "";

    public string Action { get; set; } = "";

    public int Attempt { get; set; }

    /// <summary><c>event</c>, <c>retry</c> or <c>redeliver</c>.</summary>
    public string Trigger { get; set; } = "";

    /// <summary><see cref="DeliveryStatuses.Succeeded"/>, <see cref="DeliveryStatuses.Retrying"/> or <see cref="DeliveryStatuses.Failed"/>.</summary>
    public string Status { get; set; } = "";

    public int? ResponseCode { get; set; }

    public long DurationMs { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset At { get; set; }
}
