namespace StatusChecks.Core.Storage.Tables;

/// <summary>Points a unique value (path, name, URL, ...) at the row that owns it.</summary>
internal sealed record IndexEntity : Row
{
    public long TargetId { get; set; }
}
