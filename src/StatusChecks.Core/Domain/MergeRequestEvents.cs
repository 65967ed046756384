using Microsoft.Extensions.Logging;

namespace StatusChecks.Core.Domain;

public enum MergeRequestEventKind
{
    /// <summary>MR created (open).</summary>
    Opened,

    /// <summary>A closed MR was reopened (possibly with other changes).</summary>
    Reopened,

    /// <summary>An open MR's HEAD sha and/or target branch changed; see the Previous* values.</summary>
    Updated,

    /// <summary>A failed check was retried: notify that one check again.</summary>
    RetryRequested,

    /// <summary>A check was created or its branches changed and it now applies to this open MR.</summary>
    CheckApplied,
}

/// <summary>
/// Something that must notify external services (SPEC section 3). <see cref="CheckIds"/> are the checks to
/// notify, already filtered to those that apply to the MR. Raised only for open MRs, after the change is stored.
/// </summary>
public sealed record MergeRequestEvent(
    MergeRequestEventKind Kind,
    long ProjectId,
    long MergeRequestId,
    long MergeRequestIid,
    string Sha,
    string TargetBranch,
    IReadOnlyList<long> CheckIds,
    string? PreviousSha,
    string? PreviousTargetBranch,
    string Actor,
    DateTimeOffset OccurredAt);

/// <summary>Where the domain reports MR events; the notification fan-out implements it.</summary>
public interface IMergeRequestEvents
{
    Task PublishAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken);
}

/// <summary>Default until notifications exist: the event is only logged.</summary>
internal sealed class LoggingMergeRequestEvents(ILogger<LoggingMergeRequestEvents> logger) : IMergeRequestEvents
{
    public Task PublishAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Merge request event {Kind} for project {ProjectId} MR !{Iid} at {Sha}: checks {CheckIds}",
            mergeRequestEvent.Kind,
            mergeRequestEvent.ProjectId,
            mergeRequestEvent.MergeRequestIid,
            mergeRequestEvent.Sha,
            mergeRequestEvent.CheckIds);
        return Task.CompletedTask;
    }
}
