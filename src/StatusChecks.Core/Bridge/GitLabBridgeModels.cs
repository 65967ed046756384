namespace StatusChecks.Core.Bridge;

/// <summary>
/// (extension, docs/API.md (The GitLab bridge)) A project's link to a GitLab project, as the API shows it. The GitLab access token is
/// never shown; <see cref="WebhookToken"/> only in the answer of the PUT that generated or set it (else null).
/// </summary>
public sealed record GitLabLink(
    long ProjectId,
    string GitlabUrl,
    long GitlabProjectId,
    string StatusName,
    bool PerCheck,
    string WebhookUrl,
    string? WebhookToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>PUT <c>gitlab_link</c> parameters (null = not given). On create, url, project id and access token are required.</summary>
public sealed record GitLabLinkInput(
    string? GitlabUrl,
    long? GitlabProjectId,
    string? AccessToken,
    string? WebhookToken = null,
    string? StatusName = null,
    bool? PerCheck = null);

/// <summary>One attempt to post a commit status to the linked GitLab (the bridge's delivery log, docs/API.md (Delivery log)).</summary>
public sealed record CommitStatusDelivery(
    long MergeRequestIid,
    string Sha,
    string Name,
    string State,
    long Version,
    int Attempt,
    string Trigger,
    string Status,
    int? ResponseCode,
    long DurationMs,
    string? Error,
    DateTimeOffset CreatedAt);

/// <summary>What the webhook receiver did with a request (the function turns it into the answer).</summary>
public enum WebhookReceipt
{
    /// <summary>A new event: stored and queued (201).</summary>
    Accepted,

    /// <summary>An event with this X-Gitlab-Event-UUID was received before (200, nothing changes).</summary>
    Duplicate,

    /// <summary>Authenticated, but not a Merge Request Hook (200, nothing stored).</summary>
    Ignored,
}

/// <summary>One commit status to post: GitLab's <c>name</c>, <c>state</c> and <c>description</c>.</summary>
internal sealed record DesiredCommitStatus(string Name, string State, string Description);
