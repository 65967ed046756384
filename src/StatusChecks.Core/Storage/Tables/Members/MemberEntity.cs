namespace StatusChecks.Core.Storage.Tables;

internal sealed record MemberEntity : Row
{
    public long ProjectId { get; set; }

    public long UserId { get; set; }

    public string Username { get; set; } = "";

    public string Name { get; set; } = "";

    public int AccessLevel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>yyyy-MM-dd, or null: no expiry.</summary>
    public string? ExpiresAt { get; set; }
}
