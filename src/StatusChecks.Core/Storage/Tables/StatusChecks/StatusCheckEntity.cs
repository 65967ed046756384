namespace StatusChecks.Core.Storage.Tables;

internal sealed record StatusCheckEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public string Name { get; set; } = "";

    public string ExternalUrl { get; set; } = "";

    /// <summary>The shared secret as <c>ISecretProtector</c> protected it; null = no HMAC.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Comma-separated protected-branch ids; empty = applies to every branch.</summary>
    public string ProtectedBranchIds { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
