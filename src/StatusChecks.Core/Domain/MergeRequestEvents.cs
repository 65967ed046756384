using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace StatusChecks.Core.Domain;

public enum MergeRequestEventKind
{
    /// <summary>MR created (open).</summary>
    Opened,

    /// <summary>A closed MR was reopened (possibly with other changes).</summary>
    Reopened,

    /// <summary>
    /// An MR was edited: an open MR's HEAD sha, or the target branch, title or description of any MR; see the Previous* values.
    /// </summary>
    Updated,

    /// <summary>A failed check was retried: notify that one check again.</summary>
    RetryRequested,

    /// <summary>A check was created or its branches changed and it now applies to this open MR.</summary>
    CheckApplied,

    /// <summary>An open MR was closed.</summary>
    Closed,

    /// <summary>An open MR was merged.</summary>
    Merged,
}

/// <summary>
/// Something that must notify external services (docs/API.md (Notifications)). <see cref="CheckIds"/> are the checks to
/// notify, already filtered to those that apply to the MR. Every MR write that GitLab announces with a Merge
/// Request Hook raises one (open, reopen, close, merge, edits); retries and newly applying checks only for open
/// MRs. The Previous* values name what the write changed (null = unchanged), for the hook's <c>changes</c>;
/// <see cref="DescriptionChanged"/> only flags a description edit: a description (up to 35,000 characters) does not fit
/// a queue message, so the payload reads both values from the stored MR (its PreviousDescription), which is the
/// event's write whenever the event is sent (see FanOutRules: every description change is announced).
/// </summary>
/// <remarks>
/// Published BEFORE the change is written, so a change is never acknowledged without its notification on the
/// queue: a failed publish fails the request with nothing stored. The price is that an event may describe a
/// write that then failed or lost a race; the notification fan-out therefore validates each event against the
/// stored MR before sending (<see cref="Revision"/> = the MR revision the write creates; the MR keeps the
/// revision that last notified). <see cref="EventId"/> is deterministic for one write (see <see cref="EventIds"/>),
/// so retries of the same write dedupe per (event, check).
/// </remarks>
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
    DateTimeOffset OccurredAt,
    Guid EventId,
    long Revision,
    string? PreviousTitle = null,
    string? PreviousState = null,
    DateTimeOffset? PreviousUpdatedAt = null,
    bool DescriptionChanged = false);

/// <summary>Event ids (they become <c>X-Gitlab-Event-UUID</c>): name-based, so one write always gets the same id.</summary>
public static class EventIds
{
    /// <summary>The event of the MR write that creates <paramref name="revision"/>.</summary>
    public static Guid ForRevision(long mergeRequestId, long revision) => FromKey($"mr:{mergeRequestId}:{revision}");

    /// <summary>A check-level event (retry, check now applies) of one request, made at <paramref name="requestedAt"/>.</summary>
    public static Guid ForCheck(MergeRequestEventKind kind, long mergeRequestId, long checkId, DateTimeOffset requestedAt) =>
        FromKey($"{kind}:{mergeRequestId}:{checkId}:{requestedAt.UtcTicks}");

    /// <summary>An RFC 9562 version 8 UUID from the SHA-256 of <paramref name="key"/>.</summary>
    public static Guid FromKey(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

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
