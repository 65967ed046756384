using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StatusChecks.Core.Bridge;
using StatusChecks.Functions.Notifications;

namespace StatusChecks.Functions.Bridge;

/// <summary>
/// <c>gitlab-events</c>: mirror one received GitLab event; <c>gitlab-statuses</c>: evaluate or post an MR's commit
/// status. Undecodable messages end in <c>&lt;queue&gt;-poison</c>.
/// </summary>
public sealed class GitLabBridgeQueueFunctions(IGitLabEventProcessor events, ICommitStatusProcessor statuses, ILogger<GitLabBridgeQueueFunctions> logger)
{
    [Function("GitLabEvent")]
    public async Task MirrorEvent(
        [QueueTrigger(BridgeQueueNames.Events)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var decoded = QueueMessages.Decode(message, BridgeMessages.DecodeEvent, BridgeQueueNames.Events, id, dequeueCount, logger);
        await events.HandleAsync(decoded, cancellationToken);
    }

    [Function("GitLabCommitStatus")]
    public async Task ReportStatus(
        [QueueTrigger(BridgeQueueNames.Statuses)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var decoded = QueueMessages.Decode(message, BridgeMessages.DecodeStatus, BridgeQueueNames.Statuses, id, dequeueCount, logger);
        await statuses.HandleAsync(decoded, cancellationToken);
    }
}
