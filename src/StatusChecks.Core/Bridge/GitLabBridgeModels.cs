using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

/// <summary>
/// (extension, SPEC section 7) A project's link to a GitLab project, as the API shows it. The GitLab access token is
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

/// <summary>One attempt to post a commit status to the linked GitLab (the bridge's delivery log, SPEC section 6).</summary>
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

/// <summary>The link row: partition <c>link-&lt;projectId&gt;</c>, row <c>link</c>.</summary>
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

/// <summary>
/// The receiver's lookup row: partition <c>gitlab-&lt;GitLab project id&gt;</c>, row = our project id, with the webhook
/// token's hash, so an incoming hook costs one single-partition query.
/// </summary>
internal sealed record GitLabLinkIndexEntity : Row
{
    public long ProjectId { get; set; }

    public string WebhookTokenHash { get; set; } = "";
}

/// <summary>
/// A received Merge Request Hook: partition <c>events-&lt;projectId&gt;</c>, row = X-Gitlab-Event-UUID (the idempotency
/// point). Holds what the mirror needs (<see cref="GitLabMergeRequestHook"/> as JSON, in two parts: a description can be long).
/// </summary>
internal sealed record GitLabEventEntity : Row
{
    public long ProjectId { get; set; }

    public string EventUuid { get; set; } = "";

    public string? HookPart1 { get; set; }

    public string? HookPart2 { get; set; }

    /// <summary><c>received</c>, then <c>mirrored</c>, <c>stale</c> (an older event than the one mirrored) or <c>ignored</c>.</summary>
    public string Status { get; set; } = GitLabEventStatuses.Received;

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

internal static class GitLabEventStatuses
{
    public const string Received = "received";
    public const string Mirrored = "mirrored";
    public const string Stale = "stale";
    public const string Ignored = "ignored";
}

/// <summary>
/// The commit statuses an MR's HEAD should have in GitLab: partition <c>report-&lt;projectId&gt;-&lt;iid&gt;</c>, row
/// <c>desired</c>. <see cref="Version"/> moves with every change; <see cref="SentVersion"/> is the last version that
/// reached GitLab. A send message names a version and sends the current desired state unless it was sent already, so
/// when several pile up only the latest is posted.
/// </summary>
internal sealed record CommitStatusReportEntity : Row
{
    public long ProjectId { get; set; }

    public long Iid { get; set; }

    public string Sha { get; set; } = "";

    public string Ref { get; set; } = "";

    /// <summary>JSON list of <see cref="DesiredCommitStatus"/>.</summary>
    public string Statuses { get; set; } = "[]";

    public long Version { get; set; }

    public long SentVersion { get; set; }

    /// <summary>JSON list of what <see cref="SentVersion"/> posted (same sha: unchanged statuses are not posted again).</summary>
    public string SentStatuses { get; set; } = "[]";

    public string SentSha { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One attempt of one commit status post: partition <c>attempts-&lt;projectId&gt;</c>, newest first.</summary>
internal sealed record CommitStatusAttemptEntity : Row
{
    public long Iid { get; set; }

    public string Sha { get; set; } = "";

    public string Name { get; set; } = "";

    public string State { get; set; } = "";

    public long Version { get; set; }

    public int Attempt { get; set; }

    public string Trigger { get; set; } = "";

    public string Status { get; set; } = "";

    public int? ResponseCode { get; set; }

    public long DurationMs { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>One commit status to post: GitLab's <c>name</c>, <c>state</c> and <c>description</c>.</summary>
internal sealed record DesiredCommitStatus(string Name, string State, string Description);
