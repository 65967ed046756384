using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

/// <summary>POST /api/webhooks/gitlab: GitLab's project webhook, authenticated by its secret token only.</summary>
public interface IGitLabWebhookReceiver
{
    /// <summary>
    /// Unauthorized (nothing stored) unless <paramref name="token"/> is the webhook token of a link to the payload's
    /// <c>project.id</c>. A Merge Request Hook is stored once per <paramref name="eventUuid"/> and queued; the rest of the
    /// work (the mirror, the notifications) happens on the queue, so GitLab gets its answer at once. InvalidParameter
    /// for a missing or malformed UUID, ValidationFailed for a payload the mirror cannot take.
    /// </summary>
    Task<WebhookReceipt> ReceiveAsync(string? token, string? eventName, string? eventUuid, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);
}

internal sealed class GitLabWebhookReceiver(
    IGitLabBridgeStore store,
    INotificationQueues queues,
    TimeProvider time,
    ILogger<GitLabWebhookReceiver> logger) : IGitLabWebhookReceiver
{
    public const string UuidHeader = "X-Gitlab-Event-UUID";

    public async Task<WebhookReceipt> ReceiveAsync(string? token, string? eventName, string? eventUuid, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || GitLabMergeRequestHook.ProjectId(body.Span) is not { } gitLabProjectId)
        {
            throw Unauthorized();
        }

        var link = await AuthenticateAsync(token, gitLabProjectId, cancellationToken) ?? throw Unauthorized();
        if (eventName != GitLabMergeRequestHook.EventName)
        {
            return WebhookReceipt.Ignored; // GitLab may send other events to the same hook: not ours to mirror
        }

        if (string.IsNullOrEmpty(eventUuid))
        {
            throw Rules.Missing(UuidHeader);
        }

        if (!Guid.TryParse(eventUuid, out var uuid))
        {
            throw Rules.Invalid(UuidHeader);
        }

        GitLabMergeRequestHook hook;
        try
        {
            hook = GitLabMergeRequestHook.Parse(body.Span);
        }
        catch (FormatException e)
        {
            throw Rules.Validation(ParameterNames.MergeRequestHook, e.Message);
        }

        var (part1, part2) = TextParts.Split(hook.ToJson());
        var stored = new GitLabEventEntity
        {
            ProjectId = link.ProjectId, EventUuid = uuid.ToString("D"), HookPart1 = part1, HookPart2 = part2, ReceivedAt = time.GetUtcNow(),
        };
        var created = await store.AddEventAsync(stored, cancellationToken);
        if (!created)
        {
            // A replay. Queued again only while not yet processed (the first queueing may have failed): mirroring is idempotent.
            var existing = await store.GetEventAsync(link.ProjectId, stored.EventUuid, cancellationToken);
            if (existing is not { Status: GitLabEventStatuses.Received })
            {
                return WebhookReceipt.Duplicate;
            }
        }

        await queues.SendAsync(BridgeQueueNames.Events, BridgeMessages.Encode(new GitLabEventMessage(link.ProjectId, stored.EventUuid)), delay: null, cancellationToken);
        logger.LogInformation(
            "GitLab event {EventUuid} ({Action}) for project {ProjectId} MR !{Iid} {Outcome}",
            stored.EventUuid, hook.Action, link.ProjectId, hook.Iid, created ? "queued" : "queued again");
        return created ? WebhookReceipt.Accepted : WebhookReceipt.Duplicate;
    }

    /// <summary>The link to this GitLab project whose webhook token this is: hashes compared in constant time.</summary>
    private async Task<GitLabLinkEntity?> AuthenticateAsync(string token, long gitLabProjectId, CancellationToken cancellationToken)
    {
        var presented = Convert.FromHexString(TokenHasher.Hash(token));
        foreach (var candidate in await store.FindLinksAsync(gitLabProjectId, cancellationToken))
        {
            if (candidate.WebhookTokenHash.Length == presented.Length * 2
                && CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(candidate.WebhookTokenHash)))
            {
                // The lookup row is written before the link and removed after it: the link itself decides.
                var link = await store.GetLinkAsync(candidate.ProjectId, cancellationToken);
                return link is not null && link.GitLabProjectId == gitLabProjectId && link.WebhookTokenHash == candidate.WebhookTokenHash ? link : null;
            }
        }

        return null;
    }

    private static DomainException Unauthorized() => new(new DomainError.Unauthorized());
}
