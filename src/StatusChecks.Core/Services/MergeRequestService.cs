using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IMergeRequestService
{
    /// <summary>Developer. source_branch, target_branch, title, sha (40 lower-case hex) required. Raises Opened.</summary>
    Task<MergeRequest> CreateAsync(Caller caller, string projectId, NewMergeRequest input, CancellationToken cancellationToken = default);

    /// <summary>Reporter. NotFound("Merge Request").</summary>
    Task<MergeRequest> GetAsync(Caller caller, string projectId, long iid, CancellationToken cancellationToken = default);

    /// <summary>Developer. Given fields change; a new sha resets every check to pending. Raises Reopened/Updated for an open MR.</summary>
    Task<MergeRequest> UpdateAsync(Caller caller, string projectId, long iid, MergeRequestChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Developer. NotAllowed when not open or blocked by status checks; Conflict when <paramref name="sha"/> is not the HEAD.</summary>
    Task<MergeRequest> MergeAsync(Caller caller, string projectId, long iid, string? sha, CancellationToken cancellationToken = default);
}

internal sealed class MergeRequestService(
    IProjectAccess access,
    IMergeRequestStore mergeRequests,
    MergeRequestEvaluator evaluator,
    IMergeRequestEvents events,
    IIdGenerator ids,
    TimeProvider time) : IMergeRequestService
{
    public async Task<MergeRequest> CreateAsync(Caller caller, string projectId, NewMergeRequest input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Developer, write: true, cancellationToken);
        var source = Rules.Branch(input.SourceBranch, "source_branch");
        var target = Rules.Branch(input.TargetBranch, "target_branch");
        var title = Rules.Name(input.Title, "title");
        var sha = Rules.Sha(input.Sha);
        var now = time.GetUtcNow();
        var draft = new MergeRequestEntity
        {
            Id = await ids.NextAsync(IdKind.MergeRequest, cancellationToken),
            ProjectId = project.Id,
            Title = title,
            State = MergeRequestStates.Opened,
            SourceBranch = source,
            TargetBranch = target,
            Sha = sha,
            Author = caller.Actor,
            CreatedAt = now,
            UpdatedAt = now,
            ShaChangedAt = now,
            NotifiedAt = now,
        };
        var created = await Optimistic.RetryAsync(() => mergeRequests.CreateAsync(draft, cancellationToken), cancellationToken);
        var view = await evaluator.DescribeAsync(project, created, cancellationToken);
        await PublishAsync(MergeRequestEventKind.Opened, created, view, caller, previous: null, cancellationToken);
        return view.Model;
    }

    public async Task<MergeRequest> GetAsync(Caller caller, string projectId, long iid, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Reporter, write: false, cancellationToken);
        var mergeRequest = await FindAsync(project.Id, iid, cancellationToken);
        return (await evaluator.DescribeAsync(project, mergeRequest, cancellationToken)).Model;
    }

    public async Task<MergeRequest> UpdateAsync(Caller caller, string projectId, long iid, MergeRequestChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Developer, write: true, cancellationToken);
        var title = changes.Title is null ? null : Rules.Name(changes.Title, "title");
        var target = changes.TargetBranch is null ? null : Rules.Branch(changes.TargetBranch, "target_branch");
        var sha = changes.Sha is null ? null : Rules.Sha(changes.Sha);
        if (changes.StateEvent is not (null or "close" or "reopen"))
        {
            throw Rules.Invalid("state_event");
        }

        MergeRequestEntity? before = null;
        var updated = await Optimistic.RetryAsync(
            async () =>
            {
                before = await FindAsync(project.Id, iid, cancellationToken);
                return await mergeRequests.UpdateAsync(Apply(before, title, target, sha, changes.StateEvent, time.GetUtcNow()), cancellationToken);
            },
            cancellationToken);

        var view = await evaluator.DescribeAsync(project, updated, cancellationToken);
        if (updated.NotifiedAt != before!.NotifiedAt)
        {
            var kind = before.State != MergeRequestStates.Opened ? MergeRequestEventKind.Reopened : MergeRequestEventKind.Updated;
            await PublishAsync(kind, updated, view, caller, before, cancellationToken);
        }

        return view.Model;
    }

    public async Task<MergeRequest> MergeAsync(Caller caller, string projectId, long iid, string? sha, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Developer, write: true, cancellationToken);
        var merged = await Optimistic.RetryAsync(
            async () =>
            {
                var mergeRequest = await FindAsync(project.Id, iid, cancellationToken);
                var view = await evaluator.DescribeAsync(project, mergeRequest, cancellationToken);
                if (view.Model.DetailedMergeStatus != DetailedMergeStatuses.Mergeable)
                {
                    throw new DomainException(new DomainError.NotAllowed());
                }

                if (sha is not null && sha != mergeRequest.Sha)
                {
                    throw Rules.ShaMismatch(sha);
                }

                var now = time.GetUtcNow();
                return await mergeRequests.UpdateAsync(mergeRequest with { State = MergeRequestStates.Merged, MergedAt = now, UpdatedAt = now }, cancellationToken);
            },
            cancellationToken);
        return (await evaluator.DescribeAsync(project, merged, cancellationToken)).Model;
    }

    /// <summary>
    /// The MR after the changes. A new sha restarts every check (ShaChangedAt); NotifiedAt moves whenever the
    /// change must notify the checks: an open MR that was reopened, got a new sha or a new target branch.
    /// </summary>
    internal static MergeRequestEntity Apply(MergeRequestEntity current, string? title, string? target, string? sha, string? stateEvent, DateTimeOffset now)
    {
        var next = current with { UpdatedAt = now, Title = title ?? current.Title };
        var shaChanged = sha is not null && sha != current.Sha;
        if (shaChanged)
        {
            next = next with { PreviousSha = current.Sha, Sha = sha!, ShaChangedAt = now };
        }

        var targetChanged = target is not null && target != current.TargetBranch;
        if (targetChanged)
        {
            next = next with { PreviousTargetBranch = current.TargetBranch, TargetBranch = target! };
        }

        var reopened = stateEvent == "reopen" && current.State == MergeRequestStates.Closed;
        if (reopened)
        {
            next = next with { State = MergeRequestStates.Opened, ClosedAt = null };
        }
        else if (stateEvent == "close" && current.State == MergeRequestStates.Opened)
        {
            next = next with { State = MergeRequestStates.Closed, ClosedAt = now };
        }

        return next.State == MergeRequestStates.Opened && (reopened || shaChanged || targetChanged) ? next with { NotifiedAt = now } : next;
    }

    private async Task<MergeRequestEntity> FindAsync(long projectId, long iid, CancellationToken cancellationToken) =>
        (iid > 0 ? await mergeRequests.GetAsync(projectId, iid, cancellationToken) : null) ?? throw Rules.NotFound("Merge Request");

    private Task PublishAsync(MergeRequestEventKind kind, MergeRequestEntity mergeRequest, MergeRequestView view, Caller caller, MergeRequestEntity? previous, CancellationToken cancellationToken) =>
        events.PublishAsync(
            new MergeRequestEvent(
                kind,
                mergeRequest.ProjectId,
                mergeRequest.Id,
                mergeRequest.Iid,
                mergeRequest.Sha,
                mergeRequest.TargetBranch,
                view.Checks.Select(state => state.Check.Entity.Id).ToList(),
                previous is not null && previous.Sha != mergeRequest.Sha ? previous.Sha : null,
                previous is not null && previous.TargetBranch != mergeRequest.TargetBranch ? previous.TargetBranch : null,
                caller.Actor,
                time.GetUtcNow()),
            cancellationToken);
}
