namespace StatusChecks.Core.Storage.Tables;

/// <summary>A status response (append-only; doubles as its audit record).</summary>
internal sealed record CheckResponseEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long MergeRequestIid { get; set; }

    public long CheckId { get; set; }

    public string Sha { get; set; } = "";

    public string Status { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
