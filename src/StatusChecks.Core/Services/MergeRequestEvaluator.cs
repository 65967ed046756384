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
    public async Task<IReadOnlyList<ResolvedCheck>> LoadChecksAsync(long projectId, CancellationToken cancellationToken)
    {
        var all = checks.ListAllAsync(projectId, cancellationToken);
        var byId = await LoadBranchesAsync(projectId, cancellationToken);
        return (await all).Select(check => ResolvedCheck.Resolve(check, byId)).ToList();
    }

    public async Task<IReadOnlyDictionary<long, ProtectedBranchEntity>> LoadBranchesAsync(long projectId, CancellationToken cancellationToken) =>
        (await branches.ListAllAsync(projectId, cancellationToken)).ToDictionary(branch => branch.Id);

    public async Task<MergeRequestView> DescribeAsync(ProjectEntity project, MergeRequestEntity mergeRequest, CancellationToken cancellationToken)
    {
        var states = await EvaluateAsync(mergeRequest, await LoadChecksAsync(project.Id, cancellationToken), cancellationToken);
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
    public async Task<IReadOnlyList<CheckState>> EvaluateAsync(MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> projectChecks, CancellationToken cancellationToken)
    {
        var applicable = projectChecks.Where(check => check.AppliesTo(mergeRequest.TargetBranch)).OrderBy(check => check.Entity.Id).ToList();
        if (applicable.Count == 0)
        {
            return [];
        }

        var resets = (await responses.ListResetsAsync(mergeRequest.ProjectId, mergeRequest.Iid, cancellationToken))
            .Where(reset => reset.Sha == mergeRequest.Sha)
            .ToDictionary(reset => reset.CheckId, reset => reset.At);
        var latest = await Task.WhenAll(applicable.Select(check =>
            responses.GetLatestAsync(mergeRequest.ProjectId, mergeRequest.Iid, check.Entity.Id, mergeRequest.Sha, cancellationToken)));
        var now = time.GetUtcNow();
        return applicable.Select((check, i) => new CheckState(
            check,
            CheckRules.Status(
                new CheckStatusFacts(
                    mergeRequest.ShaChangedAt,
                    mergeRequest.NotifiedAt,
                    check.Entity.CreatedAt,
                    resets.TryGetValue(check.Entity.Id, out var reset) ? reset : null,
                    latest[i] is { } response ? new RecordedResponse(response.Status, response.CreatedAt) : null),
                now,
                options.Value.PendingTimeout))).ToList();
    }
}
