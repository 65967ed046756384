using System.Globalization;
using System.Text.Json.Nodes;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// What an event's deliveries describe: the event, the MR and project as stored, who acted and the MR's
/// <c>detailed_merge_status</c> when the event is fanned out. Each delivery adds its check.
/// </summary>
internal sealed record HookContext(
    MergeRequestEvent Event,
    ProjectEntity Project,
    MergeRequestEntity MergeRequest,
    UserEntity? Actor,
    string DetailedMergeStatus = DetailedMergeStatuses.Mergeable);

/// <summary>
/// GitLab's Merge Request Hook payload plus <c>external_approval_rule</c> naming the check, as GitLab sends to
/// external status checks (<c>Gitlab::DataBuilder::Issuable</c>, <c>Gitlab::HookData::MergeRequestBuilder</c>,
/// <c>Project#hook_attrs</c>, <c>User#hook_attrs</c>, <c>Commit#hook_attrs</c>). Every key GitLab sends is present;
/// what StatusChecks does not track (assignees, labels, milestones, commit details, time tracking) has GitLab's
/// empty value. Timestamps are in GitLab's hook form, <c>2026-11-25 10:00:00 UTC</c>.
/// </summary>
internal sealed class MergeRequestHookPayload(Shapes shapes)
{
    public const string Redacted = "[REDACTED]";

    /// <summary>GitLab's default branch of a new project; StatusChecks keeps no repository to read one from.</summary>
    public const string DefaultBranch = "main";

    /// <summary>
    /// Everything but the check, without the closing brace: the same for all of an event's deliveries, so it is built
    /// and stored once per event. <c>external_approval_rule</c> is the payload's last key, so appending
    /// <see cref="Tail"/> gives the bytes one whole object would serialize to (the payload a check receives,
    /// <see cref="Storage.Tables.DeliveryEntity.Body"/>).
    /// </summary>
    public string Shared(HookContext context)
    {
        var (mergeRequestEvent, project, mergeRequest, actor, detailedMergeStatus) = context;
        var projectUrl = shapes.Project(project).WebUrl;
        var payload = new JsonObject
        {
            ["object_kind"] = "merge_request",
            ["event_type"] = "merge_request",
            ["user"] = User(actor, mergeRequestEvent.Actor),
            ["project"] = Project(project, projectUrl),
            ["object_attributes"] = Attributes(context, projectUrl, detailedMergeStatus),
            ["labels"] = new JsonArray(),
            ["changes"] = Changes(mergeRequestEvent, mergeRequest),
            ["repository"] = new JsonObject
            {
                ["name"] = project.Name,
                ["url"] = projectUrl + ".git",
                ["description"] = "",
                ["homepage"] = projectUrl,
            },
            // GitLab leaves these two out when the MR has none; present and empty here, so a receiver never misses them.
            ["assignees"] = new JsonArray(),
            ["reviewers"] = new JsonArray(),
        };
        return payload.ToJsonString()[..^1];
    }

    /// <summary>One delivery's end of the payload: the check it goes to, and the closing brace.</summary>
    public static string Tail(StatusCheckEntity check) =>
        ",\"external_approval_rule\":" + new JsonObject
        {
            ["id"] = check.Id,
            ["name"] = check.Name,
            ["external_url"] = check.ExternalUrl,
        }.ToJsonString() + "}";

    /// <summary>
    /// GitLab's <c>object_attributes.action</c>; null for a retry, whose payload GitLab builds without one. A newly
    /// applying check (extension) re-announces the MR as an update.
    /// </summary>
    public static string? Action(MergeRequestEventKind kind) => kind switch
    {
        MergeRequestEventKind.Opened => "open",
        MergeRequestEventKind.Reopened => "reopen",
        MergeRequestEventKind.Closed => "close",
        MergeRequestEventKind.Merged => "merge",
        MergeRequestEventKind.RetryRequested => null,
        _ => "update",
    };

    /// <summary>The event as the delivery log names it: the hook's action, or <c>retry</c>.</summary>
    public static string LogAction(MergeRequestEventKind kind) => Action(kind) ?? "retry";

    /// <summary>The user id in an actor such as <c>user:42</c>; null for the administrator, who has no user row.</summary>
    public static long? UserId(string actor) =>
        actor.StartsWith("user:", StringComparison.Ordinal) && long.TryParse(actor.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The id shown for an actor: the user's, or the administrator's.</summary>
    public static long ActorId(string actor) => UserId(actor) ?? Administrator.UserId;

    /// <summary>GitLab's hook timestamps: <c>2026-11-25 10:00:00 UTC</c>.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private JsonObject Attributes(HookContext context, string projectUrl, string detailedMergeStatus)
    {
        var (mergeRequestEvent, project, mergeRequest, _, _) = context;
        var updater = mergeRequestEvent.Kind is MergeRequestEventKind.Updated or MergeRequestEventKind.Closed or MergeRequestEventKind.Reopened
            ? ActorId(mergeRequestEvent.Actor)
            : (long?)null;
        var attributes = new JsonObject
        {
            ["id"] = mergeRequest.Id,
            ["iid"] = mergeRequest.Iid,
            ["target_branch"] = mergeRequestEvent.TargetBranch,
            ["source_branch"] = mergeRequest.SourceBranch,
            ["source_project_id"] = project.Id,
            ["author_id"] = ActorId(mergeRequest.Author),
            ["assignee_ids"] = new JsonArray(),
            ["assignee_id"] = null,
            ["reviewer_ids"] = new JsonArray(),
            ["title"] = mergeRequest.Title,
            ["created_at"] = Timestamp(mergeRequest.CreatedAt),
            ["updated_at"] = Timestamp(mergeRequest.UpdatedAt),
            ["last_edited_at"] = null,
            ["last_edited_by_id"] = null,
            ["milestone_id"] = null,
            ["state_id"] = StateId(mergeRequest.State),
            ["state"] = mergeRequest.State,
            ["blocking_discussions_resolved"] = true,
            ["work_in_progress"] = false,
            ["draft"] = false,
            ["first_contribution"] = false,
            ["merge_status"] = "can_be_merged",
            ["target_project_id"] = project.Id,
            ["description"] = mergeRequest.Description, // null when never given, as GitLab's
            ["prepared_at"] = Timestamp(mergeRequest.CreatedAt),
            ["total_time_spent"] = 0,
            ["time_change"] = 0,
            ["human_total_time_spent"] = null,
            ["human_time_change"] = null,
            ["human_time_estimate"] = null,
            ["url"] = shapes.MergeRequest(project, mergeRequest, detailedMergeStatus).WebUrl,
            ["source"] = Project(project, projectUrl),
            ["target"] = Project(project, projectUrl),
            ["last_commit"] = new JsonObject
            {
                ["id"] = mergeRequestEvent.Sha,
                ["message"] = "",
                ["title"] = "",
                ["timestamp"] = null,
                ["url"] = $"{projectUrl}/-/commit/{mergeRequestEvent.Sha}",
                ["author"] = new JsonObject { ["name"] = "", ["email"] = "" },
            },
            ["labels"] = new JsonArray(),
            ["detailed_merge_status"] = detailedMergeStatus,

            // Sent by GitLab's builder, missing from its documented example.
            ["head_pipeline_id"] = null,
            ["merge_commit_sha"] = null,
            ["merge_error"] = null,
            ["merge_params"] = new JsonObject(),
            ["merge_user_id"] = mergeRequestEvent.Kind == MergeRequestEventKind.Merged ? ActorId(mergeRequestEvent.Actor) : null,
            ["merge_when_pipeline_succeeds"] = false,
            ["time_estimate"] = 0,
            ["updated_by_id"] = updater,
        };
        if (Action(mergeRequestEvent.Kind) is { } action)
        {
            attributes["action"] = action;
        }

        if (mergeRequestEvent.PreviousSha is { } oldrev)
        {
            attributes["oldrev"] = oldrev; // GitLab's field for "new commits were pushed"
        }

        return attributes;
    }

    /// <summary>GitLab's <c>Project#hook_attrs</c>: the project, and the MR's <c>source</c> and <c>target</c>.</summary>
    private static JsonObject Project(ProjectEntity project, string projectUrl)
    {
        // StatusChecks serves no repository: the clone URLs have GitLab's form on the service's host.
        var sshUrl = $"git@{new Uri(projectUrl).Host}:{Shapes.PathWithNamespace(project)}.git";
        return new JsonObject
        {
            ["id"] = project.Id,
            ["name"] = project.Name,
            ["description"] = "",
            ["web_url"] = projectUrl,
            ["avatar_url"] = null,
            ["git_ssh_url"] = sshUrl,
            ["git_http_url"] = projectUrl + ".git",
            ["namespace"] = project.Namespace,
            ["visibility_level"] = 0,
            ["path_with_namespace"] = Shapes.PathWithNamespace(project),
            ["default_branch"] = DefaultBranch,
            ["ci_config_path"] = null,
            ["homepage"] = projectUrl,
            ["url"] = projectUrl + ".git",
            ["ssh_url"] = sshUrl,
            ["http_url"] = projectUrl + ".git",
        };
    }

    /// <summary>
    /// What the write changed, as GitLab's <c>changes</c> (the record's previous changes): <c>{"previous", "current"}</c>
    /// per attribute. Opening, a retry and a newly applying check change nothing.
    /// </summary>
    private static JsonObject Changes(MergeRequestEvent mergeRequestEvent, MergeRequestEntity mergeRequest)
    {
        var changes = new JsonObject();
        if (mergeRequestEvent.PreviousTitle is { } previousTitle)
        {
            changes["title"] = Change(previousTitle, mergeRequest.Title);
        }

        // The event only flags it (a description does not fit a queue message): the stored MR is the event's write.
        if (mergeRequestEvent.DescriptionChanged)
        {
            changes["description"] = Change(mergeRequest.PreviousDescription, mergeRequest.Description);
        }

        if (mergeRequestEvent.PreviousTargetBranch is { } previousTarget)
        {
            changes["target_branch"] = Change(previousTarget, mergeRequestEvent.TargetBranch);
        }

        if (mergeRequestEvent.PreviousState is { } previousState)
        {
            changes["state_id"] = Change(StateId(previousState), StateId(mergeRequest.State));
        }

        if (mergeRequestEvent.PreviousUpdatedAt is { } previousUpdatedAt)
        {
            changes["updated_at"] = Change(Timestamp(previousUpdatedAt), Timestamp(mergeRequestEvent.OccurredAt));
        }

        return changes;
    }

    private static JsonObject Change(JsonNode? previous, JsonNode? current) => new() { ["previous"] = previous, ["current"] = current };

    // E-mail addresses are redacted, as GitLab does in webhook payloads. The administrator acts through the admin token
    // and has no user row: it appears as GitLab's root user, with its id. A user whose row is gone appears as GitLab's ghost.
    private static JsonObject User(UserEntity? user, string actor) => user is not null
        ? UserAttributes(user.Id, user.Name, user.Username)
        : UserId(actor) is { } id
            ? UserAttributes(id, "Ghost User", "ghost")
            : UserAttributes(Administrator.UserId, Administrator.Name, Administrator.Username);

    private static JsonObject UserAttributes(long id, string name, string username) =>
        new() { ["id"] = id, ["name"] = name, ["username"] = username, ["avatar_url"] = null, ["email"] = Redacted };

    private static int StateId(string state) => state switch
    {
        MergeRequestStates.Opened => 1,
        MergeRequestStates.Closed => 2,
        MergeRequestStates.Merged => 3,
        _ => 4,
    };
}
