using System.Text.Json;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IStatusCheckService
{
    /// <summary>Maintainer; a member below: Unauthorized (GitLab's <c>unauthorized!</c>).</summary>
    Task<Page<ExternalStatusCheck>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Maintainer (below: NotPermitted). RecordInvalid with GitLab's full messages ("Name has already been taken",
    /// "all protected branches must exist within the project", ...).
    /// </summary>
    Task<ExternalStatusCheck> CreateAsync(Caller caller, ProjectRef projectRef, NewStatusCheck input, CancellationToken cancellationToken = default);

    /// <summary>Maintainer (below: NotPermitted). Given fields replace. RecordNotFound; RecordInvalid as for create.</summary>
    Task<ExternalStatusCheck> UpdateAsync(Caller caller, ProjectRef projectRef, long checkId, StatusCheckChanges changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Maintainer (below: Unauthorized, nothing deleted). RecordNotFound; PreconditionFailed when the check was
    /// updated after <paramref name="unmodifiedSince"/> (the request's If-Unmodified-Since), nothing deleted.
    /// </summary>
    Task DeleteAsync(Caller caller, ProjectRef projectRef, long checkId, DateTimeOffset? unmodifiedSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reporter. The checks that apply to the MR with their status at its HEAD; <c>external_url</c> without its query
    /// string for Developers and above, "" for Reporters (as GitLab's entity). RecordNotFound for the MR.
    /// </summary>
    Task<Page<MergeRequestStatusCheck>> ListForMergeRequestAsync(Caller caller, ProjectRef projectRef, long iid, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Developer. GitLab's order: the MR (RecordNotFound), the role (Forbidden), the check, which may be any check of
    /// the project (RecordNotFound), then the sha: Conflict("SHA does not match HEAD of source branch: &lt;HEAD sha&gt;"),
    /// nothing recorded.
    /// </summary>
    Task<StatusCheckResponse> RespondAsync(Caller caller, ProjectRef projectRef, long iid, NewStatusCheckResponse input, CancellationToken cancellationToken = default);

    /// <summary>Developer. Unprocessable("External status check must be failed") unless the check's status is failed.</summary>
    Task RetryAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, CancellationToken cancellationToken = default);
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
    TimeProvider time,
    IGitLabBridgeHooks? bridge = null) : IStatusCheckService
{
    private readonly IGitLabBridgeHooks bridge = bridge ?? NoGitLabBridgeHooks.Instance;

    public async Task<Page<ExternalStatusCheck>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await RequireMaintainerAsync(caller, projectRef, write: false, new DomainError.Unauthorized(), cancellationToken);
        var rows = checks.ListAsync(project.Id, page, cancellationToken);
        var branches = evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        await Concurrently.SettleAsync(rows, branches);
        var (listed, byId) = (await rows, await branches);
        return new Page<ExternalStatusCheck>(
            listed.Items.Select(check => Shapes.Check(ResolvedCheck.Resolve(check, byId))).ToList(), listed.PageNumber, listed.PerPage, listed.Total);
    }

    public async Task<ExternalStatusCheck> CreateAsync(Caller caller, ProjectRef projectRef, NewStatusCheck input, CancellationToken cancellationToken = default)
    {
        var project = await RequireMaintainerAsync(caller, projectRef, write: true, new DomainError.NotPermitted(), cancellationToken);
        var name = Rules.Required(input.Name, ParameterNames.Name);
        var url = Rules.Required(input.ExternalUrl, ParameterNames.ExternalUrl).Trim(); // GitLab's URL validator stores the URL stripped
        var secret = CheckRules.Secret(input.SharedSecret);
        var branches = await evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        var branchIds = (input.ProtectedBranchIds ?? []).Distinct().ToList();
        Validate(new CheckFields(name, url, secret), await checks.ListAllAsync(project.Id, cancellationToken), branchIds.All(branches.ContainsKey));
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
            project.Id,
            check,
            async () =>
            {
                await checks.CreateAsync(check, Audit("external_status_check.create", caller, check, now), cancellationToken);
                return check;
            },
            cancellationToken);
        await this.bridge.ChecksChangedAsync(project, cancellationToken);

        return Shapes.Check(resolved);
    }

    public async Task<ExternalStatusCheck> UpdateAsync(Caller caller, ProjectRef projectRef, long checkId, StatusCheckChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await RequireMaintainerAsync(caller, projectRef, write: true, new DomainError.NotPermitted(), cancellationToken);
        var url = changes.ExternalUrl?.Trim();
        var branches = await evaluator.LoadBranchesAsync(project.Id, cancellationToken);
        var givenBranchIds = changes.ProtectedBranchIds?.Distinct().ToList();
        var branchIds = givenBranchIds is null ? null : ResolvedCheck.FormatBranchIds(givenBranchIds);
        var plainSecret = changes.SharedSecret is null ? null : CheckRules.Secret(changes.SharedSecret);
        var secret = changes.SharedSecret is null ? null : plainSecret is null ? "" : secrets.Protect(plainSecret);

        var requestedAt = time.GetUtcNow();
        var open = branchIds is null ? [] : await mergeRequests.ListOpenAsync(project.Id, cancellationToken);
        List<MergeRequestEntity> newlyApplicable = [];
        var updated = await WriteAsync(
            project.Id,
            null,
            async () =>
            {
                var before = await ProjectCheckAsync(project.Id, checkId, cancellationToken);
                var others = (await checks.ListAllAsync(project.Id, cancellationToken)).Where(other => other.Id != checkId);
                Validate(
                    new CheckFields(changes.Name ?? before.Name, url ?? before.ExternalUrl, plainSecret),
                    others,
                    givenBranchIds?.All(branches.ContainsKey) ?? true);
                var now = time.GetUtcNow();
                var next = before with
                {
                    Name = changes.Name ?? before.Name,
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

        await this.bridge.ChecksChangedAsync(project, cancellationToken);

        return Shapes.Check(ResolvedCheck.Resolve(updated, branches));
    }

    public async Task DeleteAsync(Caller caller, ProjectRef projectRef, long checkId, DateTimeOffset? unmodifiedSince, CancellationToken cancellationToken = default)
    {
        var project = await RequireMaintainerAsync(caller, projectRef, write: true, new DomainError.Unauthorized(), cancellationToken);
        await WriteAsync(
            project.Id,
            null,
            async () =>
            {
                var check = await ProjectCheckAsync(project.Id, checkId, cancellationToken);
                if (unmodifiedSince is { } since && check.UpdatedAt > since)
                {
                    throw new DomainException(new DomainError.PreconditionFailed());
                }

                await checks.DeleteAsync(check, Audit("external_status_check.delete", caller, check, time.GetUtcNow()), cancellationToken);
                return check;
            },
            cancellationToken);
        await this.bridge.ChecksChangedAsync(project, cancellationToken);
    }

    public async Task<Page<MergeRequestStatusCheck>> ListForMergeRequestAsync(Caller caller, ProjectRef projectRef, long iid, PageRequest page, CancellationToken cancellationToken = default)
    {
        var role = await access.ResolveAsync(caller, projectRef, write: false, cancellationToken);
        var project = role.Has(AccessLevel.Reporter) ? role.Project : throw new DomainException(new DomainError.Forbidden());
        // The MR and the project's checks in one round trip, then the MR's statuses at its HEAD in one query.
        var found = FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var projectChecks = evaluator.LoadChecksAsync(project.Id, cancellationToken);
        await Concurrently.SettleAsync(found, projectChecks);
        var mergeRequest = await found;
        var states = await evaluator.EvaluateAsync(mergeRequest, await projectChecks, cancellationToken);
        var developer = role.Has(AccessLevel.Developer);
        return page.Slice(states.Select(state => new MergeRequestStatusCheck(
            state.Check.Entity.Id, state.Check.Entity.Name, developer ? CheckRules.UrlWithoutQuery(state.Check.Entity.ExternalUrl) : "", state.Status)).ToList());
    }

    public async Task<StatusCheckResponse> RespondAsync(Caller caller, ProjectRef projectRef, long iid, NewStatusCheckResponse input, CancellationToken cancellationToken = default)
    {
        var role = await access.ResolveAsync(caller, projectRef, write: true, cancellationToken);
        var project = role.Project;
        var sha = Rules.Required(input.Sha, ParameterNames.Sha);
        var checkId = Rules.Required(input.ExternalStatusCheckId, ParameterNames.ExternalStatusCheckId);
        var status = CheckRules.ResponseStatus(input.Status);
        // The least the answer needs is read in one round trip: the MR and the check. The errors still come in GitLab's
        // order: the MR, the role, the check, the sha. A project that requires all checks to pass also needs its other
        // checks, their branches and the MR's statuses at the sha (detailed_merge_status); they are read in the same trip.
        var requireAll = project.OnlyAllowMergeIfAllStatusChecksPassed;
        var found = FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var check = checks.GetAsync(project.Id, checkId, cancellationToken);
        var allBranches = requireAll ? evaluator.LoadBranchesAsync(project.Id, cancellationToken) : null;
        var others = requireAll ? checks.ListAllAsync(project.Id, cancellationToken) : Task.FromResult<IReadOnlyList<StatusCheckEntity>>([]);
        var statuses = requireAll && Rules.IsSha(sha)
            ? responses.ReadAsync(project.Id, iid, sha, cancellationToken)
            : Task.FromResult(MergeRequestStatuses.None(project.Id, iid, sha));
        await Concurrently.SettleAsync(found, check, allBranches ?? Task.CompletedTask, others, statuses);
        var mergeRequest = await found;
        if (!role.Has(AccessLevel.Developer))
        {
            throw new DomainException(new DomainError.Forbidden());
        }

        var checkEntity = await check ?? throw RecordNotFound(); // any check of the project (GitLab's lookup)
        if (sha != mergeRequest.Sha)
        {
            throw Rules.ShaMismatch(mergeRequest.Sha); // GitLab names the HEAD, so the service can answer for it
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
        // The check's own branches (the answer shows them) are read beside the write; a check for every branch names none.
        var branches = allBranches ?? (ResolvedCheck.ParseBranchIds(checkEntity.ProtectedBranchIds).Count > 0
            ? evaluator.LoadBranchesAsync(project.Id, cancellationToken)
            : Task.FromResult<IReadOnlyDictionary<long, ProtectedBranchEntity>>(new Dictionary<long, ProtectedBranchEntity>()));
        // Unconditional: the last response recorded is the check's status, as GitLab's is its last inserted row.
        var write = responses.AddAsync(response, cancellationToken);
        await Concurrently.SettleAsync(write, branches);
        await write;
        var recorded = (await statuses).With(response);
        await this.bridge.MergeRequestChangedAsync(project, mergeRequest.Iid, cancellationToken);
        var byId = await branches;
        var view = evaluator.Describe(project, mergeRequest, (await others).Select(other => ResolvedCheck.Resolve(other, byId)).ToList(), recorded);
        var resolved = ResolvedCheck.Resolve(checkEntity, byId);
        return new StatusCheckResponse(response.Id, view.Model, Shapes.Check(resolved), status, sha, response.CreatedAt);
    }

    public async Task RetryAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, CancellationToken cancellationToken = default)
    {
        // GitLab's order: the MR, the role, the check (any of the project's), then its status.
        var role = await access.ResolveAsync(caller, projectRef, write: true, cancellationToken);
        var project = role.Project;
        var found = FindMergeRequestAsync(project.Id, iid, cancellationToken);
        var check = ProjectCheckAsync(project.Id, checkId, cancellationToken);
        var projectChecks = evaluator.LoadChecksAsync(project.Id, cancellationToken);
        await Concurrently.SettleAsync(found, check, projectChecks);
        var mergeRequest = await found;
        if (!role.Has(AccessLevel.Developer))
        {
            throw new DomainException(new DomainError.Forbidden());
        }

        await check;
        var states = await evaluator.EvaluateAsync(mergeRequest, await projectChecks, cancellationToken);
        if (states.SingleOrDefault(s => s.Check.Entity.Id == checkId)?.Status != CheckStatuses.Failed)
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
        await this.bridge.MergeRequestChangedAsync(project, iid, cancellationToken);
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

    /// <summary>
    /// The project for a Maintainer; a member below gets <paramref name="belowMaintainer"/>, GitLab's answer on that
    /// route (401), while a read-only token on a write stays 403 and a project the caller cannot see 404.
    /// </summary>
    private async Task<ProjectEntity> RequireMaintainerAsync(Caller caller, ProjectRef projectRef, bool write, DomainError belowMaintainer, CancellationToken cancellationToken)
    {
        var role = await access.ResolveAsync(caller, projectRef, write, cancellationToken);
        return role.Has(AccessLevel.Maintainer) ? role.Project : throw new DomainException(belowMaintainer);
    }

    /// <summary>Throws RecordInvalid with every full message when the check is not valid among the project's other checks.</summary>
    private static void Validate(CheckFields check, IEnumerable<StatusCheckEntity> others, bool branchesInProject)
    {
        var messages = CheckRules.Validate(check, others.Select(other => new CheckFields(other.Name, other.ExternalUrl)), branchesInProject);
        if (messages.Count > 0)
        {
            throw new DomainException(new DomainError.RecordInvalid(messages));
        }
    }

    /// <summary>Any check of the project (GitLab looks it up among the project's checks, applicable to the MR or not).</summary>
    private async Task<StatusCheckEntity> ProjectCheckAsync(long projectId, long checkId, CancellationToken cancellationToken) =>
        await checks.GetAsync(projectId, checkId, cancellationToken) ?? throw RecordNotFound();

    private async Task<MergeRequestEntity> FindMergeRequestAsync(long projectId, long iid, CancellationToken cancellationToken) =>
        await mergeRequests.GetAsync(projectId, iid, cancellationToken) ?? throw RecordNotFound();

    private static DomainException RecordNotFound() => new(new DomainError.RecordNotFound());

    /// <summary>
    /// Optimistic retries. A unique index collision (a concurrent writer took the name or URL after validation)
    /// becomes GitLab's full messages: the fields taken now, or the one the store reported.
    /// </summary>
    private async Task<T> WriteAsync<T>(long projectId, StatusCheckEntity? created, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await Optimistic.RetryAsync(write, cancellationToken);
        }
        catch (DuplicateKeyException e)
        {
            List<string> taken = [];
            if (created is not null)
            {
                var others = (await checks.ListAllAsync(projectId, cancellationToken)).Where(other => other.Id != created.Id).ToList();
                taken.AddRange(CheckRules.Validate(new CheckFields(created.Name, created.ExternalUrl), others.Select(o => new CheckFields(o.Name, o.ExternalUrl)), true));
            }

            throw new DomainException(new DomainError.RecordInvalid(taken.Count > 0 ? taken : [CheckRules.TakenMessage(e.Field)]));
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
