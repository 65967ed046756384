using Microsoft.Extensions.Logging;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// Publishes each event as ONE message on <see cref="NotificationQueueNames.Events"/>. The domain calls this
/// before it writes the change (see <see cref="MergeRequestEvent"/>): when the queue is down the request fails
/// and nothing is stored, so an acknowledged change always has its notification queued.
/// </summary>
internal sealed class QueueMergeRequestEvents(INotificationQueues queues, ILogger<QueueMergeRequestEvents> logger) : IMergeRequestEvents
{
    public async Task PublishAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken)
    {
        await queues.SendAsync(NotificationQueueNames.Events, NotificationMessages.Encode(mergeRequestEvent), delay: null, cancellationToken);
        logger.LogInformation(
            "Queued {Kind} event {EventId} for project {ProjectId} MR !{Iid} at {Sha} (revision {Revision})",
            mergeRequestEvent.Kind,
            mergeRequestEvent.EventId,
            mergeRequestEvent.ProjectId,
            mergeRequestEvent.MergeRequestIid,
            mergeRequestEvent.Sha,
            mergeRequestEvent.Revision);
    }
}
