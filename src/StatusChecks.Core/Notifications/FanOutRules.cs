using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>What the fan-out does with one event.</summary>
internal abstract record FanOutDecision
{
    private FanOutDecision()
    {
    }

    /// <summary>Valid: one delivery per check.</summary>
    public sealed record Deliver(IReadOnlyList<ResolvedCheck> Checks) : FanOutDecision;

    /// <summary>The write the event was published for is not visible (yet): look again later, up to a deadline.</summary>
    public sealed record Wait(string Reason) : FanOutDecision;

    /// <summary>Stale (superseded, closed) or never committed: nothing to send.</summary>
    public sealed record Drop(string Reason) : FanOutDecision;
}

/// <summary>
/// Validates an event against what is stored. Events are published BEFORE their write (see
/// <see cref="MergeRequestEvent"/>), so an event may belong to a write that failed, lost a race or has not landed yet.
/// </summary>
internal static class FanOutRules
{
    public static FanOutDecision Decide(MergeRequestEvent mergeRequestEvent, MergeRequestEntity? stored, IReadOnlyList<ResolvedCheck> projectChecks)
    {
        if (stored is null)
        {
            return new FanOutDecision.Wait("the merge request is not stored yet");
        }

        if (stored.Id != mergeRequestEvent.MergeRequestId)
        {
            return new FanOutDecision.Drop("another merge request was stored under this iid");
        }

        var mergeRequestLevel = mergeRequestEvent.Kind is not (MergeRequestEventKind.RetryRequested or MergeRequestEventKind.CheckApplied);
        if (mergeRequestLevel && stored.Revision < mergeRequestEvent.Revision)
        {
            return new FanOutDecision.Wait($"revision {mergeRequestEvent.Revision} is not stored yet (stored: {stored.Revision})");
        }

        // The MR remembers which write last notified: any other revision was superseded or never committed.
        if (mergeRequestLevel && stored.NotifiedRevision != mergeRequestEvent.Revision)
        {
            return new FanOutDecision.Drop($"revision {mergeRequestEvent.Revision} is not the merge request's latest notification ({stored.NotifiedRevision})");
        }

        if (ExpectedState(mergeRequestEvent.Kind) is { } expected && stored.State != expected)
        {
            return new FanOutDecision.Drop($"the merge request is {stored.State}");
        }

        if (stored.Sha != mergeRequestEvent.Sha || stored.TargetBranch != mergeRequestEvent.TargetBranch)
        {
            return new FanOutDecision.Drop("the merge request has moved on to another commit or target branch");
        }

        // The checks the event names that still exist and apply. Not every check that applies now: one created
        // since then gets its own CheckApplied event, and notifying it here as well would send it twice.
        var named = projectChecks
            .Where(check => mergeRequestEvent.CheckIds.Contains(check.Entity.Id) && check.AppliesTo(stored.TargetBranch))
            .OrderBy(check => check.Entity.Id)
            .ToList();
        if (named.Count > 0)
        {
            return new FanOutDecision.Deliver(named);
        }

        if (mergeRequestLevel)
        {
            return new FanOutDecision.Drop("no status check applies");
        }

        // A check created or re-scoped in the same request may not be stored yet; a retried one was since deleted.
        return mergeRequestEvent.Kind == MergeRequestEventKind.CheckApplied
            ? new FanOutDecision.Wait("the status check does not apply yet")
            : new FanOutDecision.Drop("the status check no longer applies");
    }

    /// <summary>The state the event's write leaves the MR in; null for edits, which GitLab announces in any state.</summary>
    private static string? ExpectedState(MergeRequestEventKind kind) => kind switch
    {
        MergeRequestEventKind.Closed => MergeRequestStates.Closed,
        MergeRequestEventKind.Merged => MergeRequestStates.Merged,
        MergeRequestEventKind.Updated => null,
        _ => MergeRequestStates.Opened,
    };
}
