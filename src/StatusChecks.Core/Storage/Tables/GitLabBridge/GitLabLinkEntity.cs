namespace StatusChecks.Core.Storage.Tables;

/// <summary>A project's GitLab link, one row per project (keys: <see cref="Keys"/>).</summary>
internal sealed record GitLabLinkEntity : Row
{
    public long ProjectId { get; set; }

    public string GitLabUrl { get; set; } = "";

    public long GitLabProjectId { get; set; }

    /// <summary>The GitLab access token, encrypted with the secrets key (ISecretProtector).</summary>
    public string ProtectedAccessToken { get; set; } = "";

    /// <summary>SHA-256 (hex) of the webhook secret token; the token itself is never stored.</summary>
    public string WebhookTokenHash { get; set; } = "";

    public string StatusName { get; set; } = "";

    public bool PerCheck { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
