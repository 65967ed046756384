using Microsoft.Extensions.Logging;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

/// <summary>Handles one message of the <see cref="BridgeQueueNames.Events"/> queue.</summary>
public interface IGitLabEventProcessor
{
    Task HandleAsync(GitLabEventMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Mirrors one stored GitLab event into the linked project's MR (through the domain's mirror, which publishes the
/// notifications), then asks for the MR's commit status to be evaluated. Idempotent: a processed event is skipped,
/// and mirroring the same event twice changes nothing the second time.
/// </summary>
internal sealed class GitLabEventProcessor(
    IGitLabBridgeStore store,
    IProjectStore projects,
    IMergeRequestMirror mirror,
    IGitLabBridgeHooks hooks,
    TimeProvider time,
    ILogger<GitLabEventProcessor> logger) : IGitLabEventProcessor
{
    public async Task HandleAsync(GitLabEventMessage message, CancellationToken cancellationToken)
    {
        var stored = await store.GetEventAsync(message.ProjectId, message.EventUuid, cancellationToken);
        if (stored is not { Status: GitLabEventStatuses.Received })
        {
            logger.LogInformation("GitLab event {EventUuid} of project {ProjectId}: {State}", message.EventUuid, message.ProjectId, stored?.Status ?? "not stored");
            return;
        }

        var hook = GitLabMergeRequestHook.FromJson(TextParts.Join(stored.HookPart1, stored.HookPart2) ?? "");
        var link = await store.GetLinkAsync(message.ProjectId, cancellationToken);
        var project = await projects.GetAsync(message.ProjectId, cancellationToken);
        string status;
        if (link is null || project is null || link.GitLabProjectId != hook.GitLabProjectId)
        {
            status = GitLabEventStatuses.Ignored; // unlinked (or relinked elsewhere) since it arrived
        }
        else
        {
            try
            {
                var outcome = await mirror.MirrorAsync(project, hook, cancellationToken);
                status = outcome == MirrorOutcome.Stale ? GitLabEventStatuses.Stale : GitLabEventStatuses.Mirrored;
                logger.LogInformation("GitLab event {EventUuid} for project {ProjectId} MR !{Iid}: {Outcome}", message.EventUuid, project.Id, hook.Iid, outcome);
                // Also when unchanged: a retried message whose first run stopped before this point still gets its report.
                if (outcome != MirrorOutcome.Stale)
                {
                    await hooks.MergeRequestChangedAsync(project, hook.Iid, cancellationToken);
                }
            }
            catch (DomainException e) when (e.Error is DomainError.InvalidParameter or DomainError.MissingParameter or DomainError.ValidationFailed)
            {
                // A value this service does not take (e.g. a branch name with control characters): retrying cannot help.
                logger.LogWarning("GitLab event {EventUuid} for project {ProjectId} MR !{Iid} not mirrored: {Error}", message.EventUuid, project.Id, hook.Iid, e.Error);
                status = GitLabEventStatuses.Ignored;
            }
        }

        await store.UpdateEventAsync(stored with { Status = status, ProcessedAt = time.GetUtcNow() }, cancellationToken);
    }
}
