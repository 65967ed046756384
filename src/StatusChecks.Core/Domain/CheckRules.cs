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

        var waitingSince = Max(since, facts.NotifiedAt);
        if (facts.LatestResponse is { } latest && latest.CreatedAt >= since)
        {
            if (latest.Status != CheckStatuses.Pending)
            {
                return latest.Status;
            }

            // A service that answered "pending" is still working: it times out like one that has not answered yet.
            waitingSince = Max(waitingSince, latest.CreatedAt);
        }

        return now - waitingSince > timeout ? CheckStatuses.Failed : CheckStatuses.Pending;
    }

    public static string DetailedMergeStatus(string state, bool onlyAllowMergeIfAllStatusChecksPassed, IEnumerable<string> checkStatuses) =>
        state != MergeRequestStates.Opened ? DetailedMergeStatuses.NotOpen
        : onlyAllowMergeIfAllStatusChecksPassed && checkStatuses.Any(status => status != CheckStatuses.Passed) ? DetailedMergeStatuses.StatusChecksMustPass
        : DetailedMergeStatuses.Mergeable;

    /// <summary>
    /// GitLab's values (<c>passed</c>, <c>failed</c>, <c>pending</c>); absent means <c>passed</c> so that 14.1 clients,
    /// which send no status, keep working. The HTTP layer refuses other values before they get here.
    /// </summary>
    public static string ResponseStatus(string? status) => status switch
    {
        null or CheckStatuses.Passed => CheckStatuses.Passed,
        CheckStatuses.Failed => CheckStatuses.Failed,
        CheckStatuses.Pending => CheckStatuses.Pending,
        _ => throw Rules.Invalid(ParameterNames.Status),
    };

    /// <summary>What GitLab's status-check entity shows as <c>external_url</c>: without the query string (tokens live there).</summary>
    public static string UrlWithoutQuery(string url) => url.Split('?', 2)[0];

    /// <summary>A blank secret (empty or whitespace) is no secret, as GitLab's <c>hmac?</c> (<c>shared_secret.present?</c>).</summary>
    public static string? Secret(string? secret) => string.IsNullOrWhiteSpace(secret) ? null : secret;

    /// <summary>
    /// GitLab's model validation of a check as full messages, in the model's order: external_url (presence,
    /// uniqueness, addressable URL), name (uniqueness, presence), then the extension limits and the branches.
    /// <paramref name="existing"/> = the project's other checks. Returns no messages when the check is valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(CheckFields check, IEnumerable<CheckFields> existing, bool branchesInProject)
    {
        var others = existing.ToList();
        List<string> messages = [];
        if (string.IsNullOrWhiteSpace(check.ExternalUrl))
        {
            messages.Add("External url can't be blank");
        }

        if (others.Any(other => other.ExternalUrl == check.ExternalUrl))
        {
            messages.Add("External url " + Rules.Taken);
        }

        if (UrlError(check.ExternalUrl) is { } urlError)
        {
            messages.Add("External url " + urlError);
        }

        if (others.Any(other => other.Name == check.Name))
        {
            messages.Add("Name " + Rules.Taken);
        }

        if (string.IsNullOrWhiteSpace(check.Name))
        {
            messages.Add("Name " + Rules.Blank);
        }
        else if (check.Name.Length > Rules.MaxNameLength)
        {
            messages.Add("Name " + Rules.TooLong(Rules.MaxNameLength));
        }

        if (check.SharedSecret is { Length: > MaxSecretLength })
        {
            messages.Add("Shared secret " + Rules.TooLong(MaxSecretLength));
        }

        if (!branchesInProject)
        {
            messages.Add(BranchesOutsideProject); // a base error: no attribute name in front
        }

        return messages;
    }

    public const int MaxSecretLength = 255;

    public const string BranchesOutsideProject = "all protected branches must exist within the project";

    /// <summary>The full message of a unique index collision reported by the store (field: name or external_url).</summary>
    public static string TakenMessage(string field) => (field == ParameterNames.ExternalUrl ? "External url " : "Name ") + Rules.Taken;

    /// <summary>
    /// GitLab's addressable-URL check with http(s) only: blank "must be a valid URL"; otherwise the URL blocker's
    /// reasons ("is blocked: ..."). Extensions: at most 2048 characters, no credentials (they would be shown to every reader).
    /// </summary>
    private static string? UrlError(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "must be a valid URL";
        }

        if (url.Length > Rules.MaxUrlLength)
        {
            return Rules.TooLong(Rules.MaxUrlLength);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            // Addressable reads "not a url" or "/path" as relative: no scheme, which the blocker reports as such.
            return HasHttpScheme(url) ? "is blocked: URI is invalid" : "is blocked: Only allowed schemes are http, https";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "is blocked: Only allowed schemes are http, https";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "is blocked: URI is invalid";
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !char.IsLetterOrDigit(uri.Host[0]))
        {
            return "is blocked: Hostname or IP address invalid";
        }

        return uri.UserInfo.Length > 0 ? "must not contain credentials" : null;
    }

    private static bool HasHttpScheme(string url) =>
        url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);

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

/// <summary>The fields of a check that its model validation looks at (the secret in plain text, before it is protected).</summary>
internal sealed record CheckFields(string Name, string ExternalUrl, string? SharedSecret = null);
