namespace StatusChecks.Core.Storage.Tables;

internal sealed record UrlHealthEntity : Row
{
    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset? DisabledUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
