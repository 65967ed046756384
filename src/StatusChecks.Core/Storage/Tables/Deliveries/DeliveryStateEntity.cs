using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>The mutable part of a delivery row, written with Merge so a record never rewrites the payload.</summary>
internal sealed record DeliveryStateEntity : Row
{
    public string Status { get; set; } = DeliveryStatuses.Pending;

    public int Attempts { get; set; }

    public int SendingAttempt { get; set; }

    public DateTimeOffset? SendingUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
