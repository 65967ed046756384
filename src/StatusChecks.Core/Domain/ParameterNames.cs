namespace StatusChecks.Core.Domain;

/// <summary>
/// The request parameter names as clients send them, and as errors name them (<c>"name is missing"</c>, validation
/// hashes). The one list: functions read parameters by these names, services report errors with them, and
/// <c>RouteCatalogue</c> declares each route's parameters with them. Route (path) parameters are the <c>HttpTrigger</c>
/// templates' own names.
/// </summary>
public static class ParameterNames
{
    // Projects
    public const string Name = "name";
    public const string Path = "path";
    public const string Namespace = "namespace";
    public const string OnlyAllowMergeIfAllStatusChecksPassed = "only_allow_merge_if_all_status_checks_passed";

    // Members and users
    public const string UserId = "user_id";
    public const string AccessLevel = "access_level";
    public const string ExpiresAt = "expires_at";
    public const string Username = "username";
    public const string Email = "email";
    public const string Scopes = "scopes";

    // Merge requests
    public const string State = "state";
    public const string SourceBranch = "source_branch";
    public const string TargetBranch = "target_branch";
    public const string Sort = "sort";
    public const string Title = "title";
    public const string Sha = "sha";
    public const string Description = "description";
    public const string StateEvent = "state_event";

    // External status checks
    public const string ExternalUrl = "external_url";
    public const string SharedSecret = "shared_secret";
    public const string ProtectedBranchIds = "protected_branch_ids";

    /// <summary>gitbeaker's misspelling of <see cref="ProtectedBranchIds"/>, which it sends on create and edit.</summary>
    public const string ProtectedBrancheIds = "protected_branche_ids";

    public const string ExternalStatusCheckId = "external_status_check_id";
    public const string Status = "status";

    // GitLab bridge (extension)
    public const string GitLabUrl = "gitlab_url";
    public const string GitLabProjectId = "gitlab_project_id";
    public const string WebhookToken = "webhook_token";
    public const string StatusName = "status_name";
    public const string PerCheck = "per_check";

    /// <summary>The field a refused webhook payload is reported under (it is a body, not a parameter).</summary>
    public const string MergeRequestHook = "merge_request_hook";

    // Every route
    public const string PrivateToken = "private_token";

    /// <summary>An OAuth token of the caller; on PUT gitlab_link, the GitLab token being stored.</summary>
    public const string AccessToken = "access_token";

    public const string Page = "page";
    public const string PerPage = "per_page";
}
