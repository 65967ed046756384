namespace StatusChecks.Core.Storage.Tables;

internal sealed record ProtectedBranchEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
