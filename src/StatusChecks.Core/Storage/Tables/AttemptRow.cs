namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// One attempt of an outgoing HTTP post, as the logs keep it: a status check delivery
/// (<see cref="DeliveryAttemptEntity"/>) or a commit status posted to GitLab (<see cref="CommitStatusAttemptEntity"/>).
/// </summary>
internal abstract record AttemptRow : Row
{
    public int Attempt { get; set; }

    /// <summary>What made the attempt: <c>event</c>, <c>retry</c>, or (a delivery) <c>redeliver</c>.</summary>
    public string Trigger { get; set; } = "";

    /// <summary><c>succeeded</c>, <c>retrying</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>The receiver's HTTP status; null when it did not answer.</summary>
    public int? ResponseCode { get; set; }

    public long DurationMs { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset At { get; set; }
}
