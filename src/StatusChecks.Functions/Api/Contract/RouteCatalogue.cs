using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Functions.Api.GitLabBridge;
using StatusChecks.Functions.Http;
using static StatusChecks.Functions.Api.Contract.ApiParameter;

namespace StatusChecks.Functions.Api.Contract;

/// <summary>
/// Every HTTP route of the function app, in one place: the OpenAPI document (docs/openapi.json, GET
/// /api/v4/openapi.json) and the README's route table are built from it, and tests hold it to the functions'
/// <c>HttpTrigger</c> routes (by reflection) and to the service's real answers. Adding a route is adding one entry.
/// Roles and errors follow SPEC sections 1, 2, 4 and 6 and the functions' doc comments; the answers every route of
/// a kind gives (401, 403, 404 Project Not Found, 400/413/415, 500, 503) are added by <see cref="OpenApiDocumentBuilder"/>.
/// </summary>
public static class RouteCatalogue
{
    private const string StatusChecksRules = "see SPEC section 2";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        .. Section("Projects", [
            new("POST", "v4/projects", "CreateProject", Access.Admin, "Create a project")
            {
                Parameters =
                [
                    Text(ParameterNames.Name, "Display name, 1..255 characters.", required: true),
                    Text(ParameterNames.Path, "URL path; defaults to the name, parameterized. Unique."),
                    Text(ParameterNames.Namespace, "(extension) The namespace the path lives in; default `root`."),
                ],
                Success = ApiResult.Created<Project>(),
                Answers = [Answer.Validation(ParameterNames.Path, Rules.Taken, "the path is taken, or a name or path is blank, too long or malformed")],
            },
            new("GET", "v4/projects/{id}", "GetProject", Access.Guest, "Get a project")
            {
                Success = ApiResult.Ok<Project>(),
            },
            new("PUT", "v4/projects/{id}", "UpdateProject", Access.Maintainer, "Change the project's merge setting")
            {
                Parameters = [Boolean(ParameterNames.OnlyAllowMergeIfAllStatusChecksPassed, "Block merging until every applicable check passed.")],
                AtLeastOneParameter = true,
                Success = ApiResult.Ok<Project>(),
            },
        ]),
        .. Section("Protected branches", [
            new("GET", "v4/projects/{id}/protected_branches", "ListProtectedBranches", Access.Maintainer, "List protected branches")
            {
                Success = ApiResult.Page<ProtectedBranch>(),
            },
            new("POST", "v4/projects/{id}/protected_branches", "CreateProtectedBranch", Access.Maintainer, "Protect a branch")
            {
                Parameters = [Text(ParameterNames.Name, "An exact branch name or a wildcard such as `release/*`; unique per project.", required: true)],
                Success = ApiResult.Created<ProtectedBranch>(),
                Answers = [Answer.Conflict("Protected branch 'main' already exists", "the name is already protected")],
            },
            new("GET", "v4/projects/{id}/protected_branches/{name}", "GetProtectedBranch", Access.Maintainer, "Get a protected branch by name")
            {
                Success = ApiResult.Ok<ProtectedBranch>(),
                Answers = [Answer.RecordNotFound("no protected branch has this name")],
            },
            new("DELETE", "v4/projects/{id}/protected_branches/{name}", "DeleteProtectedBranch", Access.Maintainer, "Unprotect a branch")
            {
                Success = ApiResult.NoContent,
                Answers = [Answer.RecordNotFound("no protected branch has this name")],
            },
        ]),
        .. Section("Members", [
            new("GET", "v4/projects/{id}/members", "ListMembers", Access.Maintainer, "List members")
            {
                Success = ApiResult.Page<Member>(),
            },
            new("POST", "v4/projects/{id}/members", "AddMember", Access.Maintainer, "Add a member")
            {
                AccessNote = "Owner level only by the admin",
                Parameters =
                [
                    Id(ParameterNames.UserId, "The user to add.", required: true),
                    Number(ParameterNames.AccessLevel, "10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner.", required: true),
                    Date(ParameterNames.ExpiresAt, "The membership ends on this date (`yyyy-MM-dd`)."),
                ],
                Success = ApiResult.Created<Member>(),
                Answers =
                [
                    Answer.NotFound(ResourceNames.User, "the user does not exist"),
                    Answer.Conflict("Member already exists", "the user is already a member"),
                    Answer.Validation(ParameterNames.ExpiresAt, "cannot be a date in the past", "expires_at is in the past"),
                ],
            },
            new("GET", "v4/projects/{id}/members/{user_id}", "GetMember", Access.Guest, "Get a member")
            {
                Success = ApiResult.Ok<Member>(),
                Answers = [Answer.RecordNotFound("the user is not a member")],
            },
            new("PUT", "v4/projects/{id}/members/{user_id}", "UpdateMember", Access.Maintainer, "Change a member's role")
            {
                AccessNote = "making or changing an Owner only by the admin",
                Parameters =
                [
                    Number(ParameterNames.AccessLevel, "10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner.", required: true),
                    Date(ParameterNames.ExpiresAt, "The membership ends on this date (`yyyy-MM-dd`)."),
                ],
                Success = ApiResult.Ok<Member>(),
                Answers =
                [
                    Answer.RecordNotFound("the user is not a member"),
                    Answer.Validation(ParameterNames.ExpiresAt, "cannot be a date in the past", "expires_at is in the past"),
                ],
            },
            new("DELETE", "v4/projects/{id}/members/{user_id}", "RemoveMember", Access.Maintainer, "Remove a member")
            {
                AccessNote = "an Owner only by the admin",
                Success = ApiResult.NoContent,
                Answers = [Answer.RecordNotFound("the user is not a member")],
            },
        ]),
        .. Section("Merge requests", [
            new("GET", "v4/projects/{id}/merge_requests", "ListMergeRequests", Access.Reporter, "List merge requests, newest first")
            {
                Parameters =
                [
                    OneOf(ParameterNames.State, "Filter by state; default `all`.", MergeRequestStates.Opened, MergeRequestStates.Closed, MergeRequestStates.Locked, MergeRequestStates.Merged, MergeRequestStates.All),
                    Text(ParameterNames.TargetBranch, "Filter by target branch."),
                    Text(ParameterNames.SourceBranch, "Filter by source branch."),
                    OneOf(ParameterNames.Sort, "Order by creation; default `desc`.", "asc", "desc"),
                ],
                Success = ApiResult.Page<MergeRequest>(),
            },
            new("POST", "v4/projects/{id}/merge_requests", "CreateMergeRequest", Access.Developer, "Open a merge request")
            {
                Parameters =
                [
                    Text(ParameterNames.SourceBranch, "The branch with the changes.", required: true),
                    Text(ParameterNames.TargetBranch, "The branch to merge into; decides which checks apply.", required: true),
                    Text(ParameterNames.Title, "1..255 characters.", required: true),
                    Text(ParameterNames.Sha, "(extension) The HEAD commit, 40 lower-case hex digits.", required: true),
                    Multiline(ParameterNames.Description, "At most 35,000 characters."),
                ],
                Success = ApiResult.Created<MergeRequest>(),
                Answers = [Answer.Validation(ParameterNames.Description, "is too long (maximum is 35000 characters)", "the title is blank or too long, or the description too long")],
            },
            new("GET", "v4/projects/{id}/merge_requests/{merge_request_iid}", "GetMergeRequest", Access.Reporter, "Get a merge request")
            {
                Description = "Includes `detailed_merge_status`: `not_open`, `status_checks_must_pass` or `mergeable`.",
                Success = ApiResult.Ok<MergeRequest>(),
                Answers = [Answer.RecordNotFound("no MR has this iid")],
            },
            new("PUT", "v4/projects/{id}/merge_requests/{merge_request_iid}", "UpdateMergeRequest", Access.Developer, "Change a merge request")
            {
                Parameters =
                [
                    Text(ParameterNames.Title, "1..255 characters."),
                    Multiline(ParameterNames.Description, "At most 35,000 characters; empty clears it."),
                    Text(ParameterNames.TargetBranch, "A new target branch."),
                    Text(ParameterNames.Sha, "A new HEAD commit: every check goes back to pending."),
                    OneOf(ParameterNames.StateEvent, "Close or reopen.", "close", "reopen"),
                ],
                AtLeastOneParameter = true,
                Success = ApiResult.Ok<MergeRequest>(),
                Answers =
                [
                    Answer.RecordNotFound("no MR has this iid"),
                    Answer.Of(new DomainError.NotAllowed(), "a merged MR's sha, target branch or state would change"),
                    Answer.Validation(ParameterNames.Description, "is too long (maximum is 35000 characters)", "the title is blank or too long, or the description too long"),
                ],
            },
            new("PUT", "v4/projects/{id}/merge_requests/{merge_request_iid}/merge", "MergeMergeRequest", Access.Developer, "Merge a merge request")
            {
                Parameters = [Text(ParameterNames.Sha, "Merge only if this is still the HEAD.")],
                Success = ApiResult.Ok<MergeRequest>(),
                Answers =
                [
                    Answer.RecordNotFound("no MR has this iid"),
                    Answer.Of(new DomainError.NotAllowed(), "the MR is not open, or status checks block it"),
                    Answer.ShaMismatch("sha is not the MR's HEAD"),
                ],
            },
        ]),
        .. Section("External status checks", [
            new("GET", "v4/projects/{id}/external_status_checks", "ListExternalStatusChecks", Access.Maintainer, "List the project's checks")
            {
                AccessNote = "below: 401",
                Success = ApiResult.Page<ExternalStatusCheck>(),
                Answers = [Answer.Of(ApiError.Unauthorized, "the caller is a member below Maintainer")],
            },
            new("POST", "v4/projects/{id}/external_status_checks", "CreateExternalStatusCheck", Access.Maintainer, "Create a check")
            {
                AccessNote = "below: 401",
                Parameters = CheckParameters(required: true),
                Success = ApiResult.Created<ExternalStatusCheck>(),
                Answers =
                [
                    Answer.Of(ApiError.NotPermitted, "the caller is a member below Maintainer"),
                    Answer.RecordInvalid("Name has already been taken", "name or URL taken, blank, too long or not http(s); shared secret too long; a branch of another project (" + StatusChecksRules + ")"),
                ],
            },
            new("PUT", "v4/projects/{id}/external_status_checks/{check_id}", "UpdateExternalStatusCheck", Access.Maintainer, "Change a check")
            {
                AccessNote = "below: 401",
                Description = "Given fields replace; the others stay.",
                Parameters = CheckParameters(required: false),
                Success = ApiResult.Ok<ExternalStatusCheck>(),
                Answers =
                [
                    Answer.Of(ApiError.NotPermitted, "the caller is a member below Maintainer"),
                    Answer.RecordNotFound("no check of the project has this id"),
                    Answer.RecordInvalid("Name has already been taken", "as on create (" + StatusChecksRules + ")"),
                ],
            },
            new("DELETE", "v4/projects/{id}/external_status_checks/{check_id}", "DeleteExternalStatusCheck", Access.Maintainer, "Delete a check")
            {
                AccessNote = "below: 401",
                RequestHeaders = new Dictionary<string, string> { ["If-Unmodified-Since"] = "Delete only if the check has not changed since this HTTP date." },
                Success = ApiResult.NoContent,
                Answers =
                [
                    Answer.Of(ApiError.Unauthorized, "the caller is a member below Maintainer; nothing is deleted"),
                    Answer.RecordNotFound("no check of the project has this id"),
                    Answer.Of(ApiError.PreconditionFailed, "the check changed after If-Unmodified-Since; nothing is deleted"),
                ],
            },
            new("GET", "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks", "ListMergeRequestStatusChecks", Access.Reporter, "The checks that apply to an MR, with their status")
            {
                Description = "Status at the MR's HEAD: `passed`, `failed` or `pending` (`failed` once pending longer than the timeout). "
                    + "`external_url` is shown without its query string to Developers and above, and as `\"\"` to Reporters.",
                Success = ApiResult.Page<MergeRequestStatusCheck>(),
                SuccessHeaders = new Dictionary<string, string> { ["Poll-Interval"] = "Milliseconds a poller should wait before the next read: 10000." },
                Answers = [Answer.RecordNotFound("no MR has this iid")],
            },
            new("POST", "v4/projects/{id}/merge_requests/{merge_request_iid}/status_check_responses", "CreateStatusCheckResponse", Access.Developer, "Report a check's result for the MR's HEAD")
            {
                Parameters =
                [
                    Text(ParameterNames.Sha, "The MR's HEAD commit.", required: true),
                    Id(ParameterNames.ExternalStatusCheckId, "The check reporting.", required: true),
                    OneOf(ParameterNames.Status, "The result; when absent, `passed` (GitLab 14.1 clients send none).", CheckStatuses.Passed, CheckStatuses.Failed, CheckStatuses.Pending),
                ],
                Success = ApiResult.Created<StatusCheckResponse>(),
                Answers =
                [
                    Answer.RecordNotFound("no MR has this iid, or no check of the project has this id"),
                    Answer.ShaMismatch("sha is not the MR's HEAD; nothing is recorded"),
                ],
            },
            new("POST", "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{external_status_check_id}/retry", "RetryStatusCheck", Access.Developer, "Retry a failed check")
            {
                Description = "The check goes back to `pending` for the current HEAD and is notified again.",
                Success = ApiResult.Accepted,
                Answers =
                [
                    Answer.RecordNotFound("no MR has this iid, or no check of the project has this id"),
                    Answer.Of(new DomainError.Unprocessable("External status check must be failed"), "the check's current status is not failed"),
                ],
            },
        ]),
        .. Section("Delivery log", [
            new("GET", "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{check_id}/deliveries", "ListStatusCheckDeliveries", Access.Maintainer, "(extension) Every notification attempt for a check on an MR, newest first")
            {
                Success = ApiResult.Page<StatusCheckDelivery>(),
                Answers =
                [
                    Answer.NotFound(ResourceNames.MergeRequest, "no MR has this iid"),
                    Answer.NotFound(ResourceNames.ExternalStatusCheck, "no check of the project has this id"),
                ],
            },
            new("POST", "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{check_id}/deliveries/{delivery_id}/redeliver", "RedeliverStatusCheckDelivery", Access.Maintainer, "(extension) Send a delivery again, as a new attempt")
            {
                Success = ApiResult.Accepted,
                Answers =
                [
                    Answer.NotFound(ResourceNames.MergeRequest, "no MR has this iid"),
                    Answer.NotFound(ResourceNames.ExternalStatusCheck, "no check of the project has this id"),
                    Answer.NotFound(ResourceNames.Delivery, "no delivery of this check on this MR has this id"),
                ],
            },
        ]),
        .. Section("GitLab bridge", [
            new("PUT", "v4/projects/{id}/gitlab_link", "PutGitLabLink", Access.Maintainer, "(extension) Link the project to a GitLab project, or change the link")
            {
                Description = "SPEC section 7. Creating (201) needs `gitlab_url`, `gitlab_project_id` and `access_token`; on a change (200) the given "
                    + "fields replace and the others stay. `access_token` here is the GitLab token that is stored (encrypted, never shown); the caller "
                    + "authenticates with PRIVATE-TOKEN, `Authorization: Bearer` or `private_token`. `webhook_token` is in the answer only when this "
                    + "request generated it (on create, when none is given) or set it; otherwise null.",
                Parameters =
                [
                    Text(ParameterNames.GitLabUrl, "The GitLab instance: an absolute https URL (http where private networks are allowed) without user info, query or fragment; required on create."),
                    Id(ParameterNames.GitLabProjectId, "The GitLab project's numeric id (its hooks' `project.id`); required on create."),
                    Text(ParameterNames.AccessToken, "A GitLab token with `api` scope, used to post commit statuses; required on create. Stored encrypted, never returned."),
                    Text(ParameterNames.WebhookToken, "The secret GitLab sends in `X-Gitlab-Token`, at most 255 characters; generated on create when absent. Only its hash is kept."),
                    Text(ParameterNames.StatusName, "The commit status's name, 1..255 characters; default `external-status-checks`."),
                    Boolean(ParameterNames.PerCheck, "One commit status per check, named after it, instead of one summary; default false."),
                ],
                Success = ApiResult.Created<GitLabLink>(),
                Answers =
                [
                    new(System.Net.HttpStatusCode.OK, LinkExample, "the project was linked already: the link is changed") { Body = typeof(GitLabLink) },
                    Answer.Of(ApiError.MissingParameter(ParameterNames.GitLabUrl), "creating the link without gitlab_url, gitlab_project_id or access_token"),
                    Answer.Of(ApiError.InvalidParameter(ParameterNames.GitLabUrl), "gitlab_url is not an allowed URL, gitlab_project_id not a positive id, or a token blank, too long or with control characters"),
                    Answer.Validation(ParameterNames.StatusName, Rules.Blank, "status_name is blank or longer than 255 characters"),
                ],
            },
            new("GET", "v4/projects/{id}/gitlab_link", "GetGitLabLink", Access.Maintainer, "(extension) The project's link to GitLab, without its tokens")
            {
                Success = ApiResult.Ok<GitLabLink>(),
                Answers = [Answer.NotFound(ResourceNames.GitLabLink, "the project is not linked")],
            },
            new("DELETE", "v4/projects/{id}/gitlab_link", "DeleteGitLabLink", Access.Maintainer, "(extension) Unlink the project")
            {
                Description = "The webhook token stops working at once; the merge requests mirrored so far stay.",
                Success = ApiResult.NoContent,
                Answers = [Answer.NotFound(ResourceNames.GitLabLink, "the project is not linked")],
            },
            new("GET", "v4/projects/{id}/gitlab_link/deliveries", "ListGitLabLinkDeliveries", Access.Maintainer, "(extension) Every attempt to post a commit status to GitLab, newest first")
            {
                Success = ApiResult.Page<CommitStatusDelivery>(),
                Answers = [Answer.NotFound(ResourceNames.GitLabLink, "the project is not linked")],
            },
            new("POST", "webhooks/gitlab", "GitLabWebhook", Access.WebhookToken, "(extension) GitLab's project webhook (Merge Request Hook)")
            {
                Description = "The body is GitLab's webhook payload as GitLab sends it. The `X-Gitlab-Token` must be the webhook token of the project "
                    + "linked to the payload's `project.id` (compared in constant time); no user token is read. A new Merge Request Hook is stored "
                    + "once per `X-Gitlab-Event-UUID` and mirrored through the queue (201); a replayed UUID changes nothing (200 `duplicate`); "
                    + "another event kind is acknowledged and dropped (200 `ignored`, no UUID checked). A refusal stores nothing.",
                RequestHeaders = new Dictionary<string, string>
                {
                    ["X-Gitlab-Event"] = "The event kind; only `Merge Request Hook` is mirrored.",
                    ["X-Gitlab-Event-UUID"] = "The event's UUID, the idempotency key; required for a Merge Request Hook.",
                },
                Success = ApiResult.Created<GitLabWebhookAnswer>(),
                Answers =
                [
                    new(System.Net.HttpStatusCode.OK, WebhookExample("duplicate"), "an event with this UUID was received before: nothing changes") { Body = typeof(GitLabWebhookAnswer) },
                    new(System.Net.HttpStatusCode.OK, WebhookExample("ignored"), "the event is not a Merge Request Hook: nothing stored") { Body = typeof(GitLabWebhookAnswer) },
                    Answer.Of(ApiError.MissingParameter(GitLabWebhookAnswer.UuidHeader), "a Merge Request Hook without X-Gitlab-Event-UUID"),
                    Answer.Of(ApiError.InvalidParameter(GitLabWebhookAnswer.UuidHeader), "X-Gitlab-Event-UUID is not a UUID"),
                    Answer.Validation(ParameterNames.MergeRequestHook, "object_attributes.last_commit.id is not a commit id", "the payload is not a Merge Request Hook the mirror can take"),
                    Answer.Of(ApiError.Unauthorized, "no X-Gitlab-Token, a token that is no linked project's, or a body without a numeric project.id (not JSON included)"),
                ],
            },
        ]),
        .. Section("Users", [
            new("POST", "v4/users", "CreateUser", Access.Admin, "Create a user")
            {
                Parameters =
                [
                    Text(ParameterNames.Username, "Unique; letters, digits, '_', '-' and '.'.", required: true),
                    Text(ParameterNames.Name, "Display name.", required: true),
                    Text(ParameterNames.Email, "Unique.", required: true),
                ],
                Success = ApiResult.Created<User>(),
                Answers =
                [
                    Answer.Conflict("Username has already been taken", "the username or email is taken"),
                    Answer.Validation(ParameterNames.Email, "is invalid", "a field is blank, too long or malformed"),
                ],
            },
            new("POST", "v4/users/{user_id}/personal_access_tokens", "CreatePersonalAccessToken", Access.Admin, "Create a token for a user")
            {
                Description = "The answer carries the plaintext `token`, the only time it is ever shown; only its hash is kept.",
                Parameters =
                [
                    Text(ParameterNames.Name, "The token's name.", required: true),
                    Strings(ParameterNames.Scopes, "`api` and/or `read_api` (read_api tokens may only GET).", required: true),
                    Date(ParameterNames.ExpiresAt, "The token stops working on this date (`yyyy-MM-dd`)."),
                ],
                Success = ApiResult.Created<PersonalAccessToken>(),
                Answers =
                [
                    Answer.NotFound(ResourceNames.User, "the user does not exist"),
                    Answer.Validation(ParameterNames.ExpiresAt, "must not be in the past", "expires_at is in the past"),
                ],
            },
            new("GET", "v4/user", "GetCurrentUser", Access.AnyToken, "The token's own user")
            {
                Description = "Clients call it to check a token (python-gitlab's `gl.auth()`).",
                Success = ApiResult.Ok<UserAccount>(),
            },
            new("GET", "v4/users/{id}", "GetUser", Access.AnyToken, "A user's public profile")
            {
                Success = ApiResult.Ok<UserProfile>(),
                Answers = [Answer.NotFound(ResourceNames.User, "the user does not exist")],
            },
        ]),
        .. Section("Platform", [
            new("GET", "v4/version", "GetVersion", Access.AnyToken, "This build's version and commit")
            {
                Success = ApiResult.Ok<VersionInfo>(),
            },
            new("GET", "v4/openapi.json", "GetOpenApiDocument", Access.Anonymous, "This OpenAPI document")
            {
                Success = ApiResult.Ok<object>(),
            },
            new("GET", "health", "Health", Access.Anonymous, "(extension) Whether Table and Queue storage answer")
            {
                Success = ApiResult.Ok<HealthReport>(),
                Answers = [new(System.Net.HttpStatusCode.ServiceUnavailable, HealthExample, "Table or Queue storage does not answer") { Body = typeof(HealthReport) }],
            },
        ]),
    ];

    /// <summary>The catch-all function that answers GitLab's unknown-route 404; it is not a route of its own.</summary>
    public const string CatchAllFunction = "NotFound";

    private static System.Text.Json.Nodes.JsonNode HealthExample =>
        System.Text.Json.JsonSerializer.SerializeToNode(
            new HealthReport("unavailable", new StorageHealth("unreachable", "ok")), JsonResponses.SerializerOptions)!;

    private static System.Text.Json.Nodes.JsonNode LinkExample =>
        System.Text.Json.JsonSerializer.SerializeToNode(
            new GitLabLink(
                7, "https://gitlab.example.com", 42, "external-status-checks", false, "https://statuschecks.example.com/api/webhooks/gitlab", null,
                new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero)),
            JsonResponses.SerializerOptions)!;

    private static System.Text.Json.Nodes.JsonNode WebhookExample(string status) =>
        System.Text.Json.JsonSerializer.SerializeToNode(
            new GitLabWebhookAnswer(status, status == "ignored" ? null : "8b2a3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d"), JsonResponses.SerializerOptions)!;

    private static IEnumerable<ApiRoute> Section(string tag, IEnumerable<ApiRoute> routes) => routes.Select(route => route with { Tag = tag });

    private static ApiParameter[] CheckParameters(bool required) =>
    [
        Text(ParameterNames.Name, "1..255 characters, unique in the project.", required),
        Text(ParameterNames.ExternalUrl, "Absolute http(s) URL the notifications go to, at most 2048 characters, unique in the project.", required),
        Text(ParameterNames.SharedSecret, "Signs notifications (`X-Gitlab-Signature`); blank means none. Never returned: `hmac` says one is set."),
        Ids(ParameterNames.ProtectedBranchIds, "Protected branches of this project the check applies to; none: every MR. Also read as `protected_branche_ids` (gitbeaker)."),
    ];

    /// <summary>Shorthands for the answers the domain gives, built from the real errors.</summary>
    private static class Answer
    {
        public static ApiAnswer Of(ApiError error, string when) => ApiAnswer.Of(error, when);

        public static ApiAnswer Of(DomainError error, string when) => ApiAnswer.Of(error, when);

        public static ApiAnswer RecordNotFound(string when) => Of(ApiError.RecordNotFound, when);

        public static ApiAnswer NotFound(string thing, string when) => Of(ApiError.NotFound(thing), when);

        public static ApiAnswer Conflict(string example, string when) => Of(new DomainError.Conflict(example), when);

        public static ApiAnswer ShaMismatch(string when) =>
            Conflict("SHA does not match HEAD of source branch: 4f9d6a1c2b3e5f708192a3b4c5d6e7f809a1b2c3", when);

        public static ApiAnswer Validation(string field, string reason, string when) => Of(DomainError.ValidationFailed.For(field, reason), when);

        public static ApiAnswer RecordInvalid(string example, string when) => Of(new DomainError.RecordInvalid([example]), when);
    }

    /// <summary>GitLab's rule words (Core keeps them internal).</summary>
    private static class Rules
    {
        public const string Taken = "has already been taken";
        public const string Blank = "can't be blank";
    }
}
