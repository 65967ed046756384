namespace StatusChecks.Core.Storage.Tables;

/// <summary>A personal access token, keyed by the SHA-256 of its value; the value itself is never stored.</summary>
internal sealed record TokenEntity : Row
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>yyyy-MM-dd; valid through that day (UTC). Null = no expiry.</summary>
    public string? ExpiresAt { get; set; }

    public bool Revoked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
