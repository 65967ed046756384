using System.Text.Json;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IStatusCheckService
{
    /// <summary>Maintainer.</summary>
    Task<Page<ExternalStatusCheck>> ListAsync(Caller caller, string projectId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. ValidationFailed for name/external_url (incl. "has already been taken") and foreign protected_branch_ids.</summary>
    Task<ExternalStatusCheck> CreateAsync(Caller caller, string projectId, NewStatusCheck input, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. Given fields replace. NotFound("External Status Check").</summary>
    Task<ExternalStatusCheck> UpdateAsync(Caller caller, string projectId, long checkId, StatusCheckChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. NotFound("External Status Check").</summary>
    Task DeleteAsync(Caller caller, string projectId, long checkId, CancellationToken cancellationToken = default);

    /// <summary>Reporter. The checks that apply to the MR with their status at its HEAD.</summary>
    Task<Page<MergeRequestStatusCheck>> ListForMergeRequestAsync(Caller caller, string projectId, long iid, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Developer. Conflict("SHA does not match HEAD of source branch: &lt;sha&gt;") when sha is not the HEAD (nothing is
    /// recorded); NotFound("External Status Check") when the check is not one that applies to this MR.
    /// </summary>
    Task<StatusCheckResponse> RespondAsync(Caller caller, string projectId, long iid, NewStatusCheckResponse input, CancellationToken cancellationToken = default);

    /// <summary>Developer. Unprocessable("External status check must be failed") unless the check's status is failed.</summary>
    Task RetryAsync(Caller caller, string projectId, long iid, long checkId, CancellationToken cancellationToken = default);
}

internal sealed class StatusCheckService(
    IProjectAccess access,
    IStatusCheckStore checks,
    IMergeRequestStore mergeRequests,
    ICheckResponseStore responses,
    MergeRequestEvaluator evaluator,
    ISecretProtector secrets,
    IMergeRequestEvents events,
    IIdGenerator ids,
    TimeProvider time) : IStatusCheckService
{
    private const string CheckNotFound = "External Status Check";

    public async Task<Page<ExternalStatusCheck>> ListAsync(Caller caller, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: false, cancellationToken);
        var rows = await checks.ListAsync(project.Id, page, cancellationToken);
        var branches = await evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        return new Page<ExternalStatusCheck>(
            rows.Items.Select(check => Shapes.Check(ResolvedCheck.Resolve(check, branches))).ToList(), rows.PageNumber, rows.PerPage, rows.Total);
    }

    public async Task<ExternalStatusCheck> CreateAsync(Caller caller, string projectId, NewStatusCheck input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: true, cancellationToken);
        var name = Rules.Name(input.Name, "name");
        var url = Rules.ExternalUrl(input.ExternalUrl);
        var secret = Rules.SharedSecret(input.SharedSecret);
        var branches = await evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        var branchIds = OwnBranchIds(input.ProtectedBranchIds ?? [], branches);
        var now = time.GetUtcNow();
        var check = new StatusCheckEntity
        {
            Id = await ids.NextAsync(IdKind.StatusCheck, cancellationToken),
            ProjectId = project.Id,
            Name = name,
            ExternalUrl = url,
            ProtectedSecret = secret is null ? null : secrets.Protect(secret),
            ProtectedBranchIds = ResolvedCheck.FormatBranchIds(branchIds),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var resolved = ResolvedCheck.Resolve(check, branches);
        // Published before the write (see MergeRequestEvent); the fan-out waits for the check to exist and apply.
        var open = await mergeRequests.ListOpenAsync(project.Id, cancellationToken);
        await PublishAppliedAsync(NewlyApplicable(open, resolved, previously: null), check.Id, caller, now, cancellationToken);
        await WriteAsync(
            async () =>
            {
                await checks.CreateAsync(check, Audit("external_status_check.create", caller, check, now), cancellationToken);
                return check;
            },
            cancellationToken);

        return Shapes.Check(resolved);
    }

    public async Task<ExternalStatusCheck> UpdateAsync(Caller caller, string projectId, long checkId, StatusCheckChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: true, cancellationToken);
        var name = changes.Name is null ? null : Rules.Name(changes.Name, "name");
        var url = changes.ExternalUrl is null ? null : Rules.ExternalUrl(changes.ExternalUrl);
        var branches = await evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        var branchIds = changes.ProtectedBranchIds is null ? null : ResolvedCheck.FormatBranchIds(OwnBranchIds(changes.ProtectedBranchIds, branches));
        var secret = changes.SharedSecret is null ? null : Rules.SharedSecret(changes.SharedSecret) is { } given ? secrets.Protect(given) : "";

        var requestedAt = time.GetUtcNow();
        var open = branchIds is null ? [] : await mergeRequests.ListOpenAsync(project.Id, cancellationToken);
        List<MergeRequestEntity> newlyApplicable = [];
        var updated = await WriteAsync(
            async () =>
            {
                var before = await FindAsync(project.Id, checkId, cancellationToken);
                var now = time.GetUtcNow();
                var next = before with
                {
                    Name = name ?? before.Name,
                    ExternalUrl = url ?? before.ExternalUrl,
                    ProtectedSecret = secret is null ? before.ProtectedSecret : secret.Length == 0 ? null : secret,
                    ProtectedBranchIds = branchIds ?? before.ProtectedBranchIds,
                    UpdatedAt = now,
                };
                // Published before the write (see MergeRequestEvent); the same request always gets the same event ids.
                newlyApplicable = NewlyApplicable(open, ResolvedCheck.Resolve(next, branches), ResolvedCheck.Resolve(before, branches));
                await PublishAppliedAsync(newlyApplicable, checkId, caller, requestedAt, cancellationToken);
                return await checks.UpdateAsync(before, next, Audit("external_status_check.update", caller, next, now), cancellationToken);
            },
            cancellationToken);

        // Where it newly applies the check restarts as pending, so it does not time out on an older notification.
        foreach (var mergeRequest in newlyApplicable)
        {
            await responses.ResetAsync(
                project.Id, mergeRequest.Iid, new CheckResetEntity { CheckId = checkId, Sha = mergeRequest.Sha, At = requestedAt, Reason = "applies" }, cancellationToken);
        }

        return Shapes.Check(ResolvedCheck.Resolve(updated, branches));
    }

    public async Task DeleteAsync(Caller caller, string projectId, long checkId, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: true, cancellationToken);
        await WriteAsync(
            async () =>
            {
                var check = await FindAsync(project.Id, checkId, cancellationToken);
                await checks.DeleteAsync(check, Audit("external_status_check.delete", caller, check, time.GetUtcNow()), cancellationToken);
                return check;
            },
            cancellationToken);
    }

    public async Task<Page<MergeRequestStatusCheck>> ListForMergeRequestAsync(Caller caller, string projectId, long iid, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Reporter, write: false, cancellationToken);
        var mergeRequest = await FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var states = await evaluator.EvaluateAsync(mergeRequest, await evaluator.LoadChecksAsync(project.Id, cancellationToken), cancellationToken);
        return page.Slice(states.Select(state => new MergeRequestStatusCheck(state.Check.Entity.Id, state.Check.Entity.Name, state.Check.Entity.ExternalUrl, state.Status)).ToList());
    }

    public async Task<StatusCheckResponse> RespondAsync(Caller caller, string projectId, long iid, NewStatusCheckResponse input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Developer, write: true, cancellationToken);
        var sha = Rules.Required(input.Sha, "sha");
        var checkId = Rules.Required(input.ExternalStatusCheckId, "external_status_check_id");
        var status = CheckRules.ResponseStatus(input.Status);
        var mergeRequest = await FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var check = await ApplicableCheckAsync(project.Id, mergeRequest, checkId, cancellationToken);
        if (sha != mergeRequest.Sha)
        {
            throw Rules.ShaMismatch(sha);
        }

        var response = new CheckResponseEntity
        {
            Id = await ids.NextAsync(IdKind.StatusCheckResponse, cancellationToken),
            ProjectId = project.Id,
            MergeRequestIid = mergeRequest.Iid,
            CheckId = checkId,
            Sha = sha,
            Status = status,
            Actor = caller.Actor,
            CreatedAt = time.GetUtcNow(),
        };
        await responses.AddAsync(response, cancellationToken);
        var view = await evaluator.DescribeAsync(project, mergeRequest, cancellationToken);
        return new StatusCheckResponse(response.Id, view.Model, Shapes.Check(check), status, sha, response.CreatedAt);
    }

    public async Task RetryAsync(Caller caller, string projectId, long iid, long checkId, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Developer, write: true, cancellationToken);
        var mergeRequest = await FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var states = await evaluator.EvaluateAsync(mergeRequest, await evaluator.LoadChecksAsync(project.Id, cancellationToken), cancellationToken);
        var state = states.SingleOrDefault(s => s.Check.Entity.Id == checkId) ?? throw Rules.NotFound(CheckNotFound);
        if (state.Status != CheckStatuses.Failed)
        {
            throw new DomainException(new DomainError.Unprocessable("External status check must be failed"));
        }

        // Published before the reset is stored (see MergeRequestEvent). The reset's time is taken first, so a
        // response to this notification is always newer than the reset, whichever write lands first.
        var now = time.GetUtcNow();
        if (mergeRequest.State == MergeRequestStates.Opened)
        {
            await events.PublishAsync(Event(MergeRequestEventKind.RetryRequested, mergeRequest, checkId, caller, now), cancellationToken);
        }

        await responses.ResetAsync(project.Id, iid, new CheckResetEntity { CheckId = checkId, Sha = mergeRequest.Sha, At = now, Reason = "retry" }, cancellationToken);
    }

    /// <summary>The open MRs a check (created, or with new branches) applies to and did not apply to before.</summary>
    private static List<MergeRequestEntity> NewlyApplicable(IReadOnlyList<MergeRequestEntity> open, ResolvedCheck check, ResolvedCheck? previously) =>
        open.Where(mr => check.AppliesTo(mr.TargetBranch) && !(previously?.AppliesTo(mr.TargetBranch) ?? false)).ToList();

    private async Task PublishAppliedAsync(IReadOnlyList<MergeRequestEntity> newlyApplicable, long checkId, Caller caller, DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        foreach (var mergeRequest in newlyApplicable)
        {
            await events.PublishAsync(Event(MergeRequestEventKind.CheckApplied, mergeRequest, checkId, caller, requestedAt), cancellationToken);
        }
    }

    private static List<long> OwnBranchIds(IReadOnlyList<long> ids, IReadOnlyDictionary<long, ProtectedBranchEntity> projectBranches) =>
        ids.All(projectBranches.ContainsKey)
            ? ids.Distinct().ToList()
            : throw Rules.Validation("protected_branch_ids", "must belong to the project");

    private async Task<ResolvedCheck> ApplicableCheckAsync(long projectId, MergeRequestEntity mergeRequest, long checkId, CancellationToken cancellationToken)
    {
        var check = await checks.GetAsync(projectId, checkId, cancellationToken) ?? throw Rules.NotFound(CheckNotFound);
        var resolved = ResolvedCheck.Resolve(check, await evaluator.LoadBranchesAsync(projectId, cancellationToken));
        return resolved.AppliesTo(mergeRequest.TargetBranch) ? resolved : throw Rules.NotFound(CheckNotFound);
    }

    private async Task<StatusCheckEntity> FindAsync(long projectId, long checkId, CancellationToken cancellationToken) =>
        (checkId > 0 ? await checks.GetAsync(projectId, checkId, cancellationToken) : null) ?? throw Rules.NotFound(CheckNotFound);

    private async Task<MergeRequestEntity> FindMergeRequestAsync(long projectId, long iid, CancellationToken cancellationToken) =>
        (iid > 0 ? await mergeRequests.GetAsync(projectId, iid, cancellationToken) : null) ?? throw Rules.NotFound("Merge Request");

    /// <summary>Optimistic retries; a unique index collision becomes GitLab's "has already been taken".</summary>
    private static async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await Optimistic.RetryAsync(write, cancellationToken);
        }
        catch (DuplicateKeyException e)
        {
            throw Rules.Validation(e.Field, Rules.Taken);
        }
    }

    private static AuditEntity Audit(string action, Caller caller, StatusCheckEntity check, DateTimeOffset at) => new()
    {
        Action = action,
        Actor = caller.Actor,
        SubjectId = check.Id,
        At = at,
        Details = JsonSerializer.Serialize(new
        {
            name = check.Name,
            external_url = check.ExternalUrl,
            hmac = check.ProtectedSecret is not null,
            protected_branch_ids = ResolvedCheck.ParseBranchIds(check.ProtectedBranchIds),
        }),
    };

    private static MergeRequestEvent Event(MergeRequestEventKind kind, MergeRequestEntity mergeRequest, long checkId, Caller caller, DateTimeOffset at) =>
        new(
            kind,
            mergeRequest.ProjectId,
            mergeRequest.Id,
            mergeRequest.Iid,
            mergeRequest.Sha,
            mergeRequest.TargetBranch,
            [checkId],
            null,
            null,
            caller.Actor,
            at,
            EventIds.ForCheck(kind, mergeRequest.Id, checkId, at),
            mergeRequest.Revision);
}
