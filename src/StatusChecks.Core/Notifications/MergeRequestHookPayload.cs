using System.Globalization;
using System.Text.Json.Nodes;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>What one delivery describes: the event, the MR and project as stored, the check and who acted.</summary>
internal sealed record HookContext(
    MergeRequestEvent Event,
    ProjectEntity Project,
    MergeRequestEntity MergeRequest,
    StatusCheckEntity Check,
    UserEntity? Actor);

/// <summary>
/// GitLab's Merge Request Hook payload plus <c>external_approval_rule</c> naming the check, as GitLab sends to
/// external status checks. Fields StatusChecks does not track (description, assignees, ...) are left out.
/// </summary>
internal sealed class MergeRequestHookPayload(Shapes shapes)
{
    public const string Redacted = "[REDACTED]";

    public string Build(HookContext context)
    {
        var (mergeRequestEvent, project, mergeRequest, check, actor) = context;
        var projectUrl = shapes.Project(project).WebUrl;
        var mergeRequestUrl = shapes.MergeRequest(project, mergeRequest, DetailedMergeStatuses.Mergeable).WebUrl;
        var attributes = new JsonObject
        {
            ["id"] = mergeRequest.Id,
            ["iid"] = mergeRequest.Iid,
            ["title"] = mergeRequest.Title,
            ["state"] = mergeRequest.State,
            ["state_id"] = StateId(mergeRequest.State),
            ["action"] = Action(mergeRequestEvent.Kind),
            ["source_branch"] = mergeRequest.SourceBranch,
            ["target_branch"] = mergeRequestEvent.TargetBranch,
            ["source_project_id"] = project.Id,
            ["target_project_id"] = project.Id,
            ["author_id"] = UserId(mergeRequest.Author),
            ["created_at"] = Timestamp(mergeRequest.CreatedAt),
            ["updated_at"] = Timestamp(mergeRequest.UpdatedAt),
            ["draft"] = false,
            ["work_in_progress"] = false,
            ["url"] = mergeRequestUrl,
            ["last_commit"] = new JsonObject
            {
                ["id"] = mergeRequestEvent.Sha,
                ["url"] = $"{projectUrl}/-/commit/{mergeRequestEvent.Sha}",
            },
            ["labels"] = new JsonArray(),
        };
        if (mergeRequestEvent.PreviousSha is { } oldrev)
        {
            attributes["oldrev"] = oldrev; // GitLab's field for "new commits were pushed"
        }

        return new JsonObject
        {
            ["object_kind"] = "merge_request",
            ["event_type"] = "merge_request",
            ["user"] = User(actor, mergeRequestEvent.Actor),
            ["project"] = new JsonObject
            {
                ["id"] = project.Id,
                ["name"] = project.Name,
                ["description"] = null,
                ["web_url"] = projectUrl,
                ["avatar_url"] = null,
                ["git_http_url"] = projectUrl + ".git",
                ["namespace"] = project.Namespace,
                ["visibility_level"] = 0,
                ["path_with_namespace"] = Shapes.PathWithNamespace(project),
                ["default_branch"] = null,
                ["homepage"] = projectUrl,
                ["url"] = projectUrl + ".git",
                ["http_url"] = projectUrl + ".git",
            },
            ["object_attributes"] = attributes,
            ["labels"] = new JsonArray(),
            ["changes"] = Changes(mergeRequestEvent),
            ["repository"] = new JsonObject
            {
                ["name"] = project.Name,
                ["url"] = projectUrl + ".git",
                ["description"] = null,
                ["homepage"] = projectUrl,
            },
            ["external_approval_rule"] = new JsonObject
            {
                ["id"] = check.Id,
                ["name"] = check.Name,
                ["external_url"] = check.ExternalUrl,
            },
        }.ToJsonString();
    }

    /// <summary>GitLab's <c>object_attributes.action</c>; a retry or a newly applying check re-announces the MR as an update.</summary>
    public static string Action(MergeRequestEventKind kind) => kind switch
    {
        MergeRequestEventKind.Opened => "open",
        MergeRequestEventKind.Reopened => "reopen",
        _ => "update",
    };

    private static JsonObject Changes(MergeRequestEvent mergeRequestEvent)
    {
        var changes = new JsonObject();
        if (mergeRequestEvent.PreviousTargetBranch is { } previousTarget)
        {
            changes["target_branch"] = new JsonObject { ["previous"] = previousTarget, ["current"] = mergeRequestEvent.TargetBranch };
        }

        if (mergeRequestEvent.Kind == MergeRequestEventKind.Reopened)
        {
            changes["state_id"] = new JsonObject { ["previous"] = StateId(MergeRequestStates.Closed), ["current"] = StateId(MergeRequestStates.Opened) };
        }

        return changes;
    }

    // The instance administrator acts through the admin token and is no user: it appears as GitLab's root user does.
    // E-mail addresses are redacted, as GitLab does in webhook payloads.
    private static JsonObject User(UserEntity? user, string actor) => user is null
        ? new JsonObject { ["id"] = UserId(actor), ["name"] = "Administrator", ["username"] = "root", ["avatar_url"] = null, ["email"] = Redacted }
        : new JsonObject { ["id"] = user.Id, ["name"] = user.Name, ["username"] = user.Username, ["avatar_url"] = null, ["email"] = Redacted };

    /// <summary>The user id in an actor such as <c>user:42</c>; null for the administrator.</summary>
    public static long? UserId(string actor) =>
        actor.StartsWith("user:", StringComparison.Ordinal) && long.TryParse(actor.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static int StateId(string state) => state switch
    {
        MergeRequestStates.Opened => 1,
        MergeRequestStates.Closed => 2,
        MergeRequestStates.Merged => 3,
        _ => 4,
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
