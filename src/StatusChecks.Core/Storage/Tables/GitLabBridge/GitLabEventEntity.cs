using StatusChecks.Core.Bridge;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// A received Merge Request Hook, keyed by its X-Gitlab-Event-UUID (the idempotency point; keys: <see cref="Keys"/>). Holds what the mirror needs (<see cref="GitLabMergeRequestHook"/> as JSON, in two parts: a description can be long).
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
