namespace StatusChecks.Core.Domain;

/// <summary>Which checks apply to an MR, and what status a check has for the MR's HEAD.</summary>
internal static class CheckRules
{
    /// <summary>
    /// GitLab's protected-branch match: the exact name, or a pattern whose <c>*</c> matches any characters
    /// (including '/'). A linear glob walk, no regex, so a hostile pattern cannot blow up.
    /// </summary>
    public static bool BranchMatches(string pattern, string branch)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, branch, StringComparison.Ordinal);
        }

        int p = 0, b = 0, star = -1, resume = 0;
        while (b < branch.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = b;
            }
            else if (p < pattern.Length && pattern[p] == branch[b])
            {
                p++;
                b++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                b = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>A check without protected branches applies to every MR; otherwise one of them must match the target.</summary>
    public static bool AppliesTo(IReadOnlyCollection<string> protectedBranchNames, string targetBranch) =>
        protectedBranchNames.Count == 0 || protectedBranchNames.Any(name => BranchMatches(name, targetBranch));

    /// <summary>
    /// The status of one check for the MR's current sha.
    /// Responses count only from the later of: the sha change, the check's creation, and a reset of this check
    /// (retry, or newly applying) at this sha. Without such a response the check is pending, and failed once it
    /// has waited longer than <paramref name="timeout"/> since the last notification.
    /// </summary>
    public static string Status(CheckStatusFacts facts, DateTimeOffset now, TimeSpan timeout)
    {
        var since = Max(facts.ShaChangedAt, facts.CheckCreatedAt);
        if (facts.ResetAt is { } reset)
        {
            since = Max(since, reset);
        }

        if (facts.LatestResponse is { } latest && latest.CreatedAt >= since)
        {
            return latest.Status;
        }

        var waitingSince = Max(since, facts.NotifiedAt);
        return now - waitingSince > timeout ? CheckStatuses.Failed : CheckStatuses.Pending;
    }

    public static string DetailedMergeStatus(string state, bool onlyAllowMergeIfAllStatusChecksPassed, IEnumerable<string> checkStatuses) =>
        state != MergeRequestStates.Opened ? DetailedMergeStatuses.NotOpen
        : onlyAllowMergeIfAllStatusChecksPassed && checkStatuses.Any(status => status != CheckStatuses.Passed) ? DetailedMergeStatuses.StatusChecksMustPass
        : DetailedMergeStatuses.Mergeable;

    /// <summary><c>passed</c> (default), <c>failed</c>, legacy <c>approved</c> = passed; anything else is invalid.</summary>
    public static string ResponseStatus(string? status) => status switch
    {
        null or CheckStatuses.Passed or "approved" => CheckStatuses.Passed,
        CheckStatuses.Failed => CheckStatuses.Failed,
        _ => throw Rules.Invalid("status"),
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// What the status of one check on one MR depends on. <see cref="ResetAt"/> only when the reset was for the
/// MR's current sha; <see cref="LatestResponse"/> is the newest response for the current sha.
/// </summary>
internal sealed record CheckStatusFacts(
    DateTimeOffset ShaChangedAt,
    DateTimeOffset NotifiedAt,
    DateTimeOffset CheckCreatedAt,
    DateTimeOffset? ResetAt,
    RecordedResponse? LatestResponse);

internal sealed record RecordedResponse(string Status, DateTimeOffset CreatedAt);
