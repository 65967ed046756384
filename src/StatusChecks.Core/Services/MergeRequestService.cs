using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IMergeRequestService
{
    /// <summary>Developer. source_branch, target_branch, title, sha (40 lower-case hex) required; description optional. Raises Opened.</summary>
    Task<MergeRequest> CreateAsync(Caller caller, ProjectRef projectRef, NewMergeRequest input, CancellationToken cancellationToken = default);

    /// <summary>Reporter. RecordNotFound (GitLab's generic "404 Not found").</summary>
    Task<MergeRequest> GetAsync(Caller caller, ProjectRef projectRef, long iid, CancellationToken cancellationToken = default);

    /// <summary>Reporter. Newest first unless sort is asc; see <see cref="MergeRequestQuery"/>.</summary>
    Task<Page<MergeRequest>> ListAsync(Caller caller, ProjectRef projectRef, MergeRequestQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Developer. Given fields change; a new sha resets every check to pending. Raises Closed/Reopened/Updated (see Apply).
    /// NotAllowed for a new sha, a new target branch or any state_event on a merged MR.
    /// </summary>
    Task<MergeRequest> UpdateAsync(Caller caller, ProjectRef projectRef, long iid, MergeRequestChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Developer. NotAllowed when not open or blocked by status checks; Conflict when <paramref name="sha"/> is not the HEAD. Raises Merged.</summary>
    Task<MergeRequest> MergeAsync(Caller caller, ProjectRef projectRef, long iid, string? sha, CancellationToken cancellationToken = default);
}

internal sealed partial class MergeRequestService(
    IProjectAccess access,
    IProjectStore projects,
    IMergeRequestStore mergeRequests,
    MergeRequestEvaluator evaluator,
    IMergeRequestEvents events,
    IIdGenerator ids,
    TimeProvider time) : IMergeRequestService
{
    public async Task<MergeRequest> CreateAsync(Caller caller, ProjectRef projectRef, NewMergeRequest input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Developer, write: true, cancellationToken);
        RefuseMirrored(project);
        var source = Rules.Branch(input.SourceBranch, ParameterNames.SourceBranch);
        var target = Rules.Branch(input.TargetBranch, ParameterNames.TargetBranch);
        var title = Rules.Name(input.Title, ParameterNames.Title);
        var sha = Rules.Sha(input.Sha);
        var description = input.Description is null ? null : Rules.Description(input.Description);
        var draft = await NewOpenedAsync(project, caller, title, description, source, target, sha, time.GetUtcNow(), cancellationToken);
        var checkIds = ApplicableCheckIds(await evaluator.LoadChecksAsync(project.Id, cancellationToken), target);
        // Published before the insert commits (see MergeRequestEvent): the store hands over the row with its iid.
        var created = await Optimistic.RetryAsync(
            () => mergeRequests.CreateAsync(
                draft, (pending, token) => PublishAsync(MergeRequestEventKind.Opened, pending, checkIds, caller, previous: null, token), cancellationToken),
            cancellationToken);
        return (await evaluator.DescribeAsync(project, created, cancellationToken)).Model;
    }

    /// <summary>The hook event an announced write from <paramref name="before"/> to <paramref name="next"/> raises.</summary>
    private static MergeRequestEventKind EventKind(MergeRequestEntity before, MergeRequestEntity next) =>
        next.State == before.State ? MergeRequestEventKind.Updated
        : next.State == MergeRequestStates.Merged ? MergeRequestEventKind.Merged
        : next.State == MergeRequestStates.Closed ? MergeRequestEventKind.Closed
        : MergeRequestEventKind.Reopened;

    /// <summary>A new MR's first revision, open and announced (revision 1), as the API creates it and the mirror starts from.</summary>
    private async Task<MergeRequestEntity> NewOpenedAsync(
        ProjectEntity project, Caller caller, string title, string? description, string source, string target, string sha, DateTimeOffset now, CancellationToken cancellationToken) =>
        new()
        {
            Id = await ids.NextAsync(IdKind.MergeRequest, cancellationToken),
            ProjectId = project.Id,
            Title = title,
            Description = description,
            State = MergeRequestStates.Opened,
            SourceBranch = source,
            TargetBranch = target,
            Sha = sha,
            Author = caller.Actor,
            CreatedAt = now,
            UpdatedAt = now,
            ShaChangedAt = now,
            NotifiedAt = now,
            Revision = 1,
            NotifiedRevision = 1,
        };

    public async Task<MergeRequest> GetAsync(Caller caller, ProjectRef projectRef, long iid, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Reporter, write: false, cancellationToken);
        var mergeRequest = await FindAsync(project.Id, iid, cancellationToken);
        return (await evaluator.DescribeAsync(project, mergeRequest, cancellationToken)).Model;
    }

    public async Task<Page<MergeRequest>> ListAsync(Caller caller, ProjectRef projectRef, MergeRequestQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Reporter, write: false, cancellationToken);
        var state = query.State ?? MergeRequestStates.All;
        if (state is not (MergeRequestStates.Opened or MergeRequestStates.Closed or MergeRequestStates.Merged or MergeRequestStates.Locked or MergeRequestStates.All))
        {
            throw Rules.Invalid(ParameterNames.State);
        }

        if (query.Sort is not (null or "asc" or "desc"))
        {
            throw Rules.Invalid(ParameterNames.Sort);
        }

        if (state == MergeRequestStates.Locked)
        {
            return new Page<MergeRequest>([], page.Page, page.PerPage, 0); // nothing here is ever locked
        }

        // As GitLab's finder: a blank branch filter is no filter.
        var rows = await mergeRequests.ListAsync(
            project.Id,
            state == MergeRequestStates.All ? null : state,
            string.IsNullOrWhiteSpace(query.TargetBranch) ? null : query.TargetBranch,
            string.IsNullOrWhiteSpace(query.SourceBranch) ? null : query.SourceBranch,
            descending: query.Sort != "asc",
            page,
            cancellationToken);
        return new Page<MergeRequest>(await evaluator.DescribeAllAsync(project, rows.Items, cancellationToken), rows.PageNumber, rows.PerPage, rows.Total);
    }

    public async Task<MergeRequest> UpdateAsync(Caller caller, ProjectRef projectRef, long iid, MergeRequestChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Developer, write: true, cancellationToken);
        RefuseMirrored(project);
        var title = changes.Title is null ? null : Rules.Name(changes.Title, ParameterNames.Title);
        var target = changes.TargetBranch is null ? null : Rules.Branch(changes.TargetBranch, ParameterNames.TargetBranch);
        var sha = changes.Sha is null ? null : Rules.Sha(changes.Sha);
        var description = changes.Description is null ? null : Rules.Description(changes.Description);
        if (changes.StateEvent is not (null or "close" or "reopen"))
        {
            throw Rules.Invalid(ParameterNames.StateEvent);
        }

        var projectChecks = await evaluator.LoadChecksAsync(project.Id, cancellationToken);
        var updated = await Optimistic.RetryAsync(
            async () =>
            {
                var before = await FindAsync(project.Id, iid, cancellationToken);
                RefuseRewritingMerged(before, target, sha, changes.StateEvent);
                var next = Apply(before, title, target, sha, changes.StateEvent, time.GetUtcNow(), description);
                if (next.NotifiedRevision != before.NotifiedRevision)
                {
                    // Published before the ETag-checked write (see MergeRequestEvent); a lost race publishes again.
                    await PublishAsync(EventKind(before, next), next, ApplicableCheckIds(projectChecks, next.TargetBranch), caller, before, cancellationToken);
                }

                return await mergeRequests.UpdateAsync(next, cancellationToken);
            },
            cancellationToken);

        return (await evaluator.DescribeAsync(project, updated, cancellationToken)).Model;
    }

    public async Task<MergeRequest> MergeAsync(Caller caller, ProjectRef projectRef, long iid, string? sha, CancellationToken cancellationToken = default)
    {
        var visible = await access.RequireAsync(caller, projectRef, AccessLevel.Developer, write: true, cancellationToken);
        RefuseMirrored(visible);
        var (_, view) = await Optimistic.RetryAsync(
            async () =>
            {
                // The project as stored, not as the access cache has it: its only_allow_merge_if_all_status_checks_passed
                // decides the merge (read together with the MR and the checks, so no extra round trip).
                var stored = projects.GetAsync(visible.Id, cancellationToken);
                var found = FindAsync(visible.Id, iid, cancellationToken);
                var projectChecks = evaluator.LoadChecksAsync(visible.Id, cancellationToken);
                await Concurrently.SettleAsync(stored, found, projectChecks);
                var project = await stored ?? throw Rules.NotFound(ResourceNames.Project);
                RefuseMirrored(project);
                var mergeRequest = await found;
                var checks = await projectChecks;
                // Read even when no check applies: a response to any check moves the version the write checks.
                var statuses = await evaluator.ReadStatusesAsync(mergeRequest, cancellationToken);
                var view = evaluator.Describe(project, mergeRequest, checks, statuses);
                if (view.Model.DetailedMergeStatus != DetailedMergeStatuses.Mergeable)
                {
                    throw new DomainException(new DomainError.NotAllowed());
                }

                if (sha is not null && sha != mergeRequest.Sha)
                {
                    throw Rules.ShaMismatch(mergeRequest.Sha); // GitLab names the HEAD, as for a status-check response
                }

                var now = time.GetUtcNow();
                var revision = mergeRequest.Revision + 1;
                var merged = mergeRequest with { State = MergeRequestStates.Merged, MergedAt = now, UpdatedAt = now, Revision = revision, NotifiedRevision = revision };
                // Published before the ETag-checked write (see MergeRequestEvent), to the checks that apply (the view's).
                var checkIds = view.Checks.Select(state => state.Check.Entity.Id).ToList();
                await PublishAsync(MergeRequestEventKind.Merged, merged, checkIds, caller, mergeRequest, cancellationToken);
                // The decision and the statuses it read commit together (issue 12 item 4): a response or reset that
                // landed since the read fails the write, and the retry decides again on what is stored now.
                var written = await mergeRequests.MergeAsync(merged, statuses, cancellationToken);
                return (written, evaluator.Describe(project, written, checks, statuses));
            },
            cancellationToken);
        return view.Model;
    }

    /// <summary>
    /// A merged MR is the record of what passed its checks: its sha, target branch and state stay (GitLab does not
    /// reopen a merged MR either). A title or description edit, or a sha or target equal to the current one, is no rewrite.
    /// </summary>
    internal static void RefuseRewritingMerged(MergeRequestEntity current, string? target, string? sha, string? stateEvent)
    {
        if (current.State == MergeRequestStates.Merged
            && (stateEvent is not null || (sha is not null && sha != current.Sha) || (target is not null && target != current.TargetBranch)))
        {
            throw new DomainException(new DomainError.NotAllowed());
        }
    }

    /// <summary>
    /// The MR after the changes. A new sha restarts every check (ShaChangedAt); NotifiedAt moves whenever the
    /// change must notify the checks: an open MR that was reopened, got a new sha or a new target branch.
    /// NotifiedRevision moves whenever GitLab would send a Merge Request Hook for the write (the event is published):
    /// those, and also a title or description edit, closing, a new target of a closed MR. A new description keeps the
    /// old one as PreviousDescription (for the hook's changes; too large for the event message).
    /// </summary>
    internal static MergeRequestEntity Apply(
        MergeRequestEntity current, string? title, string? target, string? sha, string? stateEvent, DateTimeOffset now, string? description = null)
    {
        var next = current with { UpdatedAt = now, Title = title ?? current.Title, Revision = current.Revision + 1 };
        // GitLab stores "" as given; an MR that never had one has null, and "" over null is a change (its hook says so).
        var descriptionChanged = description is not null && description != current.Description;
        if (descriptionChanged)
        {
            next = next with { PreviousDescription = current.Description, Description = description };
        }

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

        var restartsChecks = next.State == MergeRequestStates.Opened && (reopened || shaChanged || targetChanged);
        if (restartsChecks)
        {
            next = next with { NotifiedAt = now };
        }

        var announced = restartsChecks || targetChanged || next.Title != current.Title || descriptionChanged || next.State != current.State;
        return announced ? next with { NotifiedRevision = next.Revision } : next;
    }

    private async Task<MergeRequestEntity> FindAsync(long projectId, long iid, CancellationToken cancellationToken) =>
        await mergeRequests.GetAsync(projectId, iid, cancellationToken) ?? throw Rules.RecordNotFound();

    private static List<long> ApplicableCheckIds(IReadOnlyList<ResolvedCheck> checks, string targetBranch) =>
        checks.Where(check => check.AppliesTo(targetBranch)).Select(check => check.Entity.Id).Order().ToList();

    private Task PublishAsync(MergeRequestEventKind kind, MergeRequestEntity mergeRequest, IReadOnlyList<long> checkIds, Caller caller, MergeRequestEntity? previous, CancellationToken cancellationToken) =>
        events.PublishAsync(
            new MergeRequestEvent(
                kind,
                mergeRequest.ProjectId,
                mergeRequest.Id,
                mergeRequest.Iid,
                mergeRequest.Sha,
                mergeRequest.TargetBranch,
                checkIds,
                previous is not null && previous.Sha != mergeRequest.Sha ? previous.Sha : null,
                previous is not null && previous.TargetBranch != mergeRequest.TargetBranch ? previous.TargetBranch : null,
                caller.Actor,
                mergeRequest.UpdatedAt,
                EventIds.ForRevision(mergeRequest.Id, mergeRequest.Revision),
                mergeRequest.Revision,
                previous is not null && previous.Title != mergeRequest.Title ? previous.Title : null,
                previous is not null && previous.State != mergeRequest.State ? previous.State : null,
                previous?.UpdatedAt,
                previous is not null && previous.Description != mergeRequest.Description),
            cancellationToken);
}
