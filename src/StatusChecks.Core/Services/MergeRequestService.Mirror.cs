using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>What mirroring one GitLab event did.</summary>
internal enum MirrorOutcome
{
    Created,
    Updated,
    Unchanged,

    /// <summary>The event is older (object_attributes.updated_at) than the one mirrored last: nothing changed.</summary>
    Stale,
}

/// <summary>(bridge) Mirrors a linked project's MRs from GitLab's Merge Request Hook events.</summary>
internal interface IMergeRequestMirror
{
    Task<MirrorOutcome> MirrorAsync(ProjectEntity project, GitLabMergeRequestHook hook, CancellationToken cancellationToken);
}

/// <summary>
/// The mirror goes through the same rules as the API (<see cref="Apply"/>, publish before the write, ETag-checked
/// writes), so a mirrored open, reopen, new commit, new target, edit, close or merge raises the same events; only the
/// iid is GitLab's and a merge is taken as done (GitLab merged it).
/// </summary>
internal sealed partial class MergeRequestService : IMergeRequestMirror
{
    public const string MirroredMessage = "Merge requests of a project linked to GitLab come from its webhook; change them in GitLab";

    public async Task<MirrorOutcome> MirrorAsync(ProjectEntity project, GitLabMergeRequestHook hook, CancellationToken cancellationToken)
    {
        var source = Rules.Branch(hook.SourceBranch, ParameterNames.SourceBranch);
        var target = Rules.Branch(hook.TargetBranch, ParameterNames.TargetBranch);
        var title = Rules.Name(hook.Title, ParameterNames.Title);
        var sha = Rules.Sha(hook.Sha);
        var description = hook.Description is null ? null : Rules.Description(hook.Description);
        var projectChecks = await evaluator.LoadChecksAsync(project.Id, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Optimistic.RetryAsync(
                    () => MirrorOnceAsync(project, hook, source, target, title, sha, description, projectChecks, cancellationToken), cancellationToken);
            }
            catch (DuplicateKeyException) when (attempt < 3)
            {
                // Another event of this MR created it first: apply this one to it.
            }
        }
    }

    private async Task<MirrorOutcome> MirrorOnceAsync(
        ProjectEntity project,
        GitLabMergeRequestHook hook,
        string source,
        string target,
        string title,
        string sha,
        string? description,
        IReadOnlyList<ResolvedCheck> projectChecks,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Admin; // GitLab's users are not ours: mirrored writes are the administrator's, as GitLab's root
        var now = time.GetUtcNow();
        var existing = await mergeRequests.GetAsync(project.Id, hook.Iid, cancellationToken);
        if (existing is null)
        {
            // First sight: created by GitLab's iid. Only an open MR notifies (a closed or merged one has nothing to check).
            var open = hook.State == MergeRequestStates.Opened;
            var draft = await NewOpenedAsync(project, caller, title, description, source, target, sha, now, cancellationToken) with
            {
                Iid = hook.Iid,
                State = hook.State,
                MergedAt = hook.State == MergeRequestStates.Merged ? now : null,
                ClosedAt = hook.State == MergeRequestStates.Closed ? now : null,
                NotifiedRevision = open ? 1 : 0,
                MirroredUpdatedAt = hook.UpdatedAt,
            };
            var checkIds = ApplicableCheckIds(projectChecks, target);
            await mergeRequests.CreateMirroredAsync(
                draft,
                (pending, token) => open ? PublishAsync(MergeRequestEventKind.Opened, pending, checkIds, caller, previous: null, token) : Task.CompletedTask,
                cancellationToken);
            return MirrorOutcome.Created;
        }

        if (existing.MirroredUpdatedAt is { } last && hook.UpdatedAt < last)
        {
            return MirrorOutcome.Stale;
        }

        MergeRequestEntity next;
        if (existing.State == MergeRequestStates.Merged)
        {
            next = Apply(existing, title, null, null, null, now, description); // a merged MR keeps its sha, target and state
        }
        else if (hook.State == MergeRequestStates.Merged)
        {
            var edited = Apply(existing, title, target, sha, null, now, description);
            next = edited with { State = MergeRequestStates.Merged, MergedAt = now, ClosedAt = null, NotifiedRevision = edited.Revision };
        }
        else
        {
            var stateEvent = hook.State == MergeRequestStates.Closed && existing.State == MergeRequestStates.Opened ? "close"
                : hook.State == MergeRequestStates.Opened && existing.State == MergeRequestStates.Closed ? "reopen"
                : null;
            next = Apply(existing, title, target, sha, stateEvent, now, description);
        }

        var changed = next.Title != existing.Title || next.Description != existing.Description || next.Sha != existing.Sha
                      || next.TargetBranch != existing.TargetBranch || next.State != existing.State;
        if (!changed)
        {
            // Nothing to mirror (an approval, a label): only remember how far GitLab's events have been read.
            await mergeRequests.UpdateAsync(existing with { MirroredUpdatedAt = hook.UpdatedAt }, cancellationToken);
            return MirrorOutcome.Unchanged;
        }

        if (next.NotifiedRevision != existing.NotifiedRevision)
        {
            // Published before the ETag-checked write, as the API does.
            await PublishAsync(EventKind(existing, next), next, ApplicableCheckIds(projectChecks, next.TargetBranch), caller, existing, cancellationToken);
        }

        await mergeRequests.UpdateAsync(next with { MirroredUpdatedAt = hook.UpdatedAt }, cancellationToken);
        return MirrorOutcome.Updated;
    }

    /// <summary>A linked project's MRs come from GitLab only (its iids are GitLab's): the API does not create or change them.</summary>
    private static void RefuseMirrored(ProjectEntity project)
    {
        if (project.GitLabLinked)
        {
            throw new DomainException(new DomainError.Unprocessable(MirroredMessage));
        }
    }
}
