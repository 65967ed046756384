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
        await WriteAsync(
            async () =>
            {
                await checks.CreateAsync(check, Audit("external_status_check.create", caller, check, now), cancellationToken);
                return check;
            },
            cancellationToken);

        var resolved = ResolvedCheck.Resolve(check, branches);
        await NotifyNewlyApplicableAsync(project.Id, resolved, previously: null, caller, cancellationToken);
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

        StatusCheckEntity? before = null;
        var updated = await WriteAsync(
            async () =>
            {
                before = await FindAsync(project.Id, checkId, cancellationToken);
                var now = time.GetUtcNow();
                var next = before with
                {
                    Name = name ?? before.Name,
                    ExternalUrl = url ?? before.ExternalUrl,
                    ProtectedSecret = secret is null ? before.ProtectedSecret : secret.Length == 0 ? null : secret,
                    ProtectedBranchIds = branchIds ?? before.ProtectedBranchIds,
                    UpdatedAt = now,
                };
                return await checks.UpdateAsync(before, next, Audit("external_status_check.update", caller, next, now), cancellationToken);
            },
            cancellationToken);

        var resolved = ResolvedCheck.Resolve(updated, branches);
        if (updated.ProtectedBranchIds != before!.ProtectedBranchIds)
        {
            await NotifyNewlyApplicableAsync(project.Id, resolved, ResolvedCheck.Resolve(before, branches), caller, cancellationToken);
        }

        return Shapes.Check(resolved);
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

        var now = time.GetUtcNow();
        await responses.ResetAsync(project.Id, iid, new CheckResetEntity { CheckId = checkId, Sha = mergeRequest.Sha, At = now, Reason = "retry" }, cancellationToken);
        if (mergeRequest.State == MergeRequestStates.Opened)
        {
            await events.PublishAsync(Event(MergeRequestEventKind.RetryRequested, mergeRequest, checkId, caller, now), cancellationToken);
        }
    }

    /// <summary>
    /// A check that was created or got new branches notifies the open MRs it did not apply to before; on those
    /// it restarts as pending now (a reset), so it does not time out on an older notification.
    /// </summary>
    private async Task NotifyNewlyApplicableAsync(long projectId, ResolvedCheck check, ResolvedCheck? previously, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var mergeRequest in await mergeRequests.ListOpenAsync(projectId, cancellationToken))
        {
            if (!check.AppliesTo(mergeRequest.TargetBranch) || (previously?.AppliesTo(mergeRequest.TargetBranch) ?? false))
            {
                continue;
            }

            if (previously is not null)
            {
                await responses.ResetAsync(projectId, mergeRequest.Iid, new CheckResetEntity { CheckId = check.Entity.Id, Sha = mergeRequest.Sha, At = now, Reason = "applies" }, cancellationToken);
            }

            await events.PublishAsync(Event(MergeRequestEventKind.CheckApplied, mergeRequest, check.Entity.Id, caller, now), cancellationToken);
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
        new(kind, mergeRequest.ProjectId, mergeRequest.Id, mergeRequest.Iid, mergeRequest.Sha, mergeRequest.TargetBranch, [checkId], null, null, caller.Actor, at);
}
