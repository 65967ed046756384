using System.Text.Json;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Bridge;

/// <summary>GitLab commit status states (the values of POST /projects/:id/statuses/:sha that the bridge uses).</summary>
internal static class CommitStatusStates
{
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failed = "failed";
}

/// <summary>Which commit statuses an MR's HEAD should have in GitLab, from its checks' statuses (docs/API.md (The GitLab bridge)).</summary>
internal static class CommitStatusRules
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// One summary status named <paramref name="statusName"/>: <c>pending</c> while any applicable check is pending,
    /// else <c>failed</c> when any failed, else <c>success</c> (also when no check applies: nothing blocks). Per check
    /// (<paramref name="perCheck"/>): one status per applicable check, named after it, and <c>success</c> for a check
    /// that had a status on this commit (<paramref name="previous"/>) and no longer applies, so it stops blocking.
    /// </summary>
    public static IReadOnlyList<DesiredCommitStatus> Desired(
        string statusName, bool perCheck, IReadOnlyList<(string Name, string Status)> checks, IReadOnlyList<DesiredCommitStatus> previous)
    {
        if (!perCheck)
        {
            var passed = checks.Count(c => c.Status == CheckStatuses.Passed);
            var failed = checks.Count(c => c.Status == CheckStatuses.Failed);
            var pending = checks.Count - passed - failed;
            var state = pending > 0 ? CommitStatusStates.Pending : failed > 0 ? CommitStatusStates.Failed : CommitStatusStates.Success;
            return [new DesiredCommitStatus(statusName, state, Describe(passed, failed, pending))];
        }

        var current = checks.Select(c => new DesiredCommitStatus(c.Name, State(c.Status), $"External status check {c.Status}")).ToList();
        var gone = previous
            .Where(p => current.All(c => c.Name != p.Name))
            .Select(p => p.State == CommitStatusStates.Success ? p : new DesiredCommitStatus(p.Name, CommitStatusStates.Success, "No longer applies to this merge request"));
        return [.. current, .. gone];
    }

    /// <summary>"2 of 3 external checks passed, 1 pending" (always under GitLab's 255 characters).</summary>
    public static string Describe(int passed, int failed, int pending)
    {
        var total = passed + failed + pending;
        if (total == 0)
        {
            return "No external checks apply";
        }

        var text = $"{passed} of {total} external check{(total == 1 ? "" : "s")} passed";
        if (failed > 0)
        {
            text += $", {failed} failed";
        }

        return pending > 0 ? text + $", {pending} pending" : text;
    }

    public static string State(string checkStatus) => checkStatus switch
    {
        CheckStatuses.Passed => CommitStatusStates.Success,
        CheckStatuses.Failed => CommitStatusStates.Failed,
        _ => CommitStatusStates.Pending,
    };

    /// <summary>
    /// Whether GitLab's answer means the status is already in that state: re-posting <c>pending</c> over a pending
    /// status of the same name and ref is refused with 400 "Cannot transition status via :enqueue from :pending".
    /// </summary>
    public static bool IsAlreadyInState(int statusCode, string? body, string state) =>
        statusCode == 400 && state == CommitStatusStates.Pending && body is not null
        && body.Contains("Cannot transition status via :enqueue from :pending", StringComparison.Ordinal);

    public static string Serialize(IReadOnlyList<DesiredCommitStatus> statuses) => JsonSerializer.Serialize(statuses, Json);

    public static IReadOnlyList<DesiredCommitStatus> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<DesiredCommitStatus>>(json, Json) ?? [];
}
