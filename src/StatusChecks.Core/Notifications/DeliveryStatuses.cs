namespace StatusChecks.Core.Notifications;

public static class DeliveryStatuses
{
    /// <summary>Not yet delivered; an attempt is queued or running.</summary>
    public const string Pending = "pending";

    public const string Succeeded = "succeeded";

    /// <summary>Given up: the last attempt of the schedule failed, or the guard refused the target.</summary>
    public const string Failed = "failed";

    /// <summary>An attempt that failed and will be retried.</summary>
    public const string Retrying = "retrying";
}
