namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The receiver's lookup row: partition <c>gitlab-&lt;GitLab project id&gt;</c>, row = our project id, with the webhook
/// token's hash, so an incoming hook costs one single-partition query.
/// </summary>
internal sealed record GitLabLinkIndexEntity : Row
{
    public long ProjectId { get; set; }

    public string WebhookTokenHash { get; set; } = "";
}
