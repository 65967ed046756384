namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The receiver's lookup row: one per link in the partition of the GitLab project id (keys: <see cref="Keys"/>), with the
/// webhook token's hash, so an incoming hook costs one single-partition query.
/// </summary>
internal sealed record GitLabLinkIndexEntity : Row
{
    public long ProjectId { get; set; }

    public string WebhookTokenHash { get; set; } = "";
}
