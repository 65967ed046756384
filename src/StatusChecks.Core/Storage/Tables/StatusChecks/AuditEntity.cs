namespace StatusChecks.Core.Storage.Tables;

/// <summary>One change to a check (append-only): who, when, what (never the secret).</summary>
internal sealed record AuditEntity : Row
{
    public string Action { get; set; } = "";

    public string Actor { get; set; } = "";

    public long SubjectId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>JSON of the check's state after the change.</summary>
    public string Details { get; set; } = "";
}
