using System.Globalization;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>A check with its protected branches resolved (ids of deleted branches are dropped, as GitLab does).</summary>
internal sealed record ResolvedCheck(StatusCheckEntity Entity, IReadOnlyList<ProtectedBranchEntity> Branches)
{
    public bool AppliesTo(string targetBranch) => CheckRules.AppliesTo(Branches.Select(branch => branch.Name).ToList(), targetBranch);

    public static IReadOnlyList<long> ParseBranchIds(string ids) =>
        ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();

    public static string FormatBranchIds(IEnumerable<long> ids) => string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    public static ResolvedCheck Resolve(StatusCheckEntity check, IReadOnlyDictionary<long, ProtectedBranchEntity> branches) =>
        new(check, ParseBranchIds(check.ProtectedBranchIds).Where(branches.ContainsKey).Select(id => branches[id]).ToList());
}

/// <summary>A check that applies to an MR and its status at the MR's HEAD.</summary>
internal sealed record CheckState(ResolvedCheck Check, string Status);

internal sealed record MergeRequestView(MergeRequest Model, IReadOnlyList<CheckState> Checks);

/// <summary>Loads a project's checks and computes which apply to an MR and with what status.</summary>
internal sealed class MergeRequestEvaluator(
    IStatusCheckStore checks,
    IProtectedBranchStore branches,
    ICheckResponseStore responses,
    Shapes shapes,
    TimeProvider time,
    IOptions<StatusChecksOptions> options)
{
    /// <summary>The project's checks with their branches: two queries issued together.</summary>
    public async Task<IReadOnlyList<ResolvedCheck>> LoadChecksAsync(long projectId, CancellationToken cancellationToken)
    {
        var all = checks.ListAllAsync(projectId, cancellationToken);
        var byId = LoadBranchesAsync(projectId, cancellationToken);
        await Concurrently.SettleAsync(all, byId);
        var branchesById = await byId;
        return (await all).Select(check => ResolvedCheck.Resolve(check, branchesById)).ToList();
    }

    public async Task<IReadOnlyDictionary<long, ProtectedBranchEntity>> LoadBranchesAsync(long projectId, CancellationToken cancellationToken) =>
        (await branches.ListAllAsync(projectId, cancellationToken)).ToDictionary(branch => branch.Id);

    /// <summary>The MR's statuses at its HEAD, always read (a merge commits against their version, even with no check applying).</summary>
    public Task<MergeRequestStatuses> ReadStatusesAsync(MergeRequestEntity mergeRequest, CancellationToken cancellationToken) =>
        responses.ReadAsync(mergeRequest.ProjectId, mergeRequest.Iid, mergeRequest.Sha, cancellationToken);

    /// <summary>The MR's statuses at its HEAD; not read at all when no check applies.</summary>
    public Task<MergeRequestStatuses> ReadStatusesAsync(MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> projectChecks, CancellationToken cancellationToken) =>
        projectChecks.Any(check => check.AppliesTo(mergeRequest.TargetBranch))
            ? responses.ReadAsync(mergeRequest.ProjectId, mergeRequest.Iid, mergeRequest.Sha, cancellationToken)
            : Task.FromResult(MergeRequestStatuses.None(mergeRequest.ProjectId, mergeRequest.Iid, mergeRequest.Sha));

    /// <summary>The MR as the API shows it: its checks and its statuses are read together (one round trip).</summary>
    public async Task<MergeRequestView> DescribeAsync(ProjectEntity project, MergeRequestEntity mergeRequest, CancellationToken cancellationToken)
    {
        var projectChecks = LoadChecksAsync(project.Id, cancellationToken);
        var statuses = responses.ReadAsync(mergeRequest.ProjectId, mergeRequest.Iid, mergeRequest.Sha, cancellationToken);
        await Concurrently.SettleAsync(projectChecks, statuses);
        return Describe(project, mergeRequest, await projectChecks, await statuses);
    }

    public MergeRequestView Describe(ProjectEntity project, MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> projectChecks, MergeRequestStatuses statuses)
    {
        var states = Evaluate(mergeRequest, projectChecks, statuses);
        var detailed = CheckRules.DetailedMergeStatus(mergeRequest.State, project.OnlyAllowMergeIfAllStatusChecksPassed, states.Select(state => state.Status));
        return new MergeRequestView(shapes.MergeRequest(project, mergeRequest, detailed), states);
    }

    /// <summary>
    /// Several MRs of one project, in their order. Check statuses are read only where they decide
    /// <c>detailed_merge_status</c>: for open MRs of a project that requires all checks to pass.
    /// </summary>
    public async Task<IReadOnlyList<MergeRequest>> DescribeAllAsync(ProjectEntity project, IReadOnlyList<MergeRequestEntity> mergeRequests, CancellationToken cancellationToken)
    {
        var flag = project.OnlyAllowMergeIfAllStatusChecksPassed;
        var projectChecks = flag && mergeRequests.Any(mr => mr.State == MergeRequestStates.Opened)
            ? await LoadChecksAsync(project.Id, cancellationToken)
            : [];
        var statuses = await Task.WhenAll(mergeRequests.Select(async mr =>
            flag && mr.State == MergeRequestStates.Opened
                ? (await EvaluateAsync(mr, projectChecks, cancellationToken)).Select(state => state.Status).ToList()
                : []));
        return mergeRequests
            .Select((mr, i) => shapes.MergeRequest(project, mr, CheckRules.DetailedMergeStatus(mr.State, flag, statuses[i])))
            .ToList();
    }

    /// <summary>The checks that apply to the MR, in id order, each with its status for the MR's current sha.</summary>
    public async Task<IReadOnlyList<CheckState>> EvaluateAsync(MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> projectChecks, CancellationToken cancellationToken) =>
        Evaluate(mergeRequest, projectChecks, await ReadStatusesAsync(mergeRequest, projectChecks, cancellationToken));

    /// <summary>As <see cref="EvaluateAsync"/>, from statuses already read (at the MR's sha).</summary>
    public IReadOnlyList<CheckState> Evaluate(MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> projectChecks, MergeRequestStatuses statuses)
    {
        var applicable = projectChecks.Where(check => check.AppliesTo(mergeRequest.TargetBranch)).OrderBy(check => check.Entity.Id).ToList();
        var atHead = statuses.Sha == mergeRequest.Sha;
        var now = time.GetUtcNow();
        return applicable.Select(check => new CheckState(
            check,
            CheckRules.Status(
                new CheckStatusFacts(
                    mergeRequest.ShaChangedAt,
                    mergeRequest.NotifiedAt,
                    check.Entity.CreatedAt,
                    atHead && statuses.Resets.TryGetValue(check.Entity.Id, out var reset) ? reset.At : null,
                    atHead && statuses.Latest.TryGetValue(check.Entity.Id, out var response) ? new RecordedResponse(response.Status, response.CreatedAt) : null),
                now,
                options.Value.PendingTimeout))).ToList();
    }
}

internal static class Concurrently
{
    /// <summary>
    /// Waits until every task has finished, without throwing: the caller then awaits each one in the order in which
    /// its errors take precedence (GitLab's order), so reads issued together still fail as if issued one by one.
    /// </summary>
    public static async Task SettleAsync(params Task[] tasks) =>
        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}
