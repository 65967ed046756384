namespace StatusChecks.Core.Storage.Tables;

/// <summary>One check reset to pending on one MR at a sha (retry, or the check newly applying).</summary>
internal sealed record CheckResetEntity : Row
{
    public long CheckId { get; set; }

    public string Sha { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Reason { get; set; } = "";
}
