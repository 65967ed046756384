using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>Handles one message of the <see cref="NotificationQueueNames.Events"/> queue.</summary>
public interface INotificationFanOut
{
    Task HandleAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Validates an event against the stored MR (<see cref="FanOutRules"/>) and turns it into one delivery per
/// applicable check: a delivery row (idempotent per event and check) and one message on the deliveries queue, so a
/// slow or dead URL only ever holds up its own message.
/// </summary>
internal sealed class NotificationFanOut(
    IMergeRequestStore mergeRequests,
    IProjectStore projects,
    IUserStore users,
    MergeRequestEvaluator evaluator,
    IDeliveryStore deliveries,
    MergeRequestHookPayload payloads,
    INotificationQueues queues,
    IIdGenerator ids,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<NotificationFanOut> logger) : INotificationFanOut
{
    private const int FanOutConcurrency = 8;

    public async Task HandleAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken)
    {
        var stored = await mergeRequests.GetAsync(mergeRequestEvent.ProjectId, mergeRequestEvent.MergeRequestIid, cancellationToken);
        var checks = await evaluator.LoadChecksAsync(mergeRequestEvent.ProjectId, cancellationToken);
        switch (FanOutRules.Decide(mergeRequestEvent, stored, checks))
        {
            case FanOutDecision.Wait wait:
                await WaitAsync(mergeRequestEvent, wait.Reason, cancellationToken);
                break;
            case FanOutDecision.Drop drop:
                logger.LogInformation(
                    "{Kind} event {EventId} for project {ProjectId} MR !{Iid} not sent: {Reason}",
                    mergeRequestEvent.Kind, mergeRequestEvent.EventId, mergeRequestEvent.ProjectId, mergeRequestEvent.MergeRequestIid, drop.Reason);
                break;
            case FanOutDecision.Deliver deliver:
                await DeliverAsync(mergeRequestEvent, stored!, deliver.Checks, checks, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// The event's write is not visible yet: look again later (a new message with a visibility delay, never a sleep),
    /// waiting longer each time, until CommitTimeout after the event; then the write evidently failed.
    /// </summary>
    private async Task WaitAsync(MergeRequestEvent mergeRequestEvent, string reason, CancellationToken cancellationToken)
    {
        var age = time.GetUtcNow() - mergeRequestEvent.OccurredAt;
        var settings = options.Value;
        if (age >= settings.CommitTimeout)
        {
            logger.LogWarning(
                "{Kind} event {EventId} for project {ProjectId} MR !{Iid} dropped: its write did not land within {CommitTimeout} ({Reason})",
                mergeRequestEvent.Kind, mergeRequestEvent.EventId, mergeRequestEvent.ProjectId, mergeRequestEvent.MergeRequestIid, settings.CommitTimeout, reason);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Max(settings.CommitPollInterval.Ticks, age.Ticks / 2));
        logger.LogInformation("{Kind} event {EventId}: {Reason}; looking again in {Delay}", mergeRequestEvent.Kind, mergeRequestEvent.EventId, reason, delay);
        await queues.SendAsync(NotificationQueueNames.Events, NotificationMessages.Encode(mergeRequestEvent), delay, cancellationToken);
    }

    private async Task DeliverAsync(
        MergeRequestEvent mergeRequestEvent, MergeRequestEntity mergeRequest, IReadOnlyList<ResolvedCheck> checks, IReadOnlyList<ResolvedCheck> projectChecks, CancellationToken cancellationToken)
    {
        var project = await projects.GetAsync(mergeRequestEvent.ProjectId, cancellationToken)
            ?? throw new InvalidOperationException($"Project {mergeRequestEvent.ProjectId} of a stored merge request does not exist.");
        var actor = MergeRequestHookPayload.UserId(mergeRequestEvent.Actor) is { } userId ? await users.GetAsync(userId, cancellationToken) : null;
        // The hook's detailed_merge_status; the checks' statuses are read only when they can block the merge.
        var statuses = mergeRequest.State == MergeRequestStates.Opened && project.OnlyAllowMergeIfAllStatusChecksPassed
            ? (await evaluator.EvaluateAsync(mergeRequest, projectChecks, cancellationToken)).Select(state => state.Status).ToList()
            : [];
        var detailedMergeStatus = CheckRules.DetailedMergeStatus(mergeRequest.State, project.OnlyAllowMergeIfAllStatusChecksPassed, statuses);
        // Checks are independent (own partition, own message): a few at a time, so a 50-check project is not 100 round trips in a row.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = FanOutConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(checks, parallel, async (check, ct) =>
        {
            var now = time.GetUtcNow();
            var draft = new DeliveryEntity
            {
                Id = await ids.NextAsync(IdKind.Delivery, ct),
                ProjectId = project.Id,
                MergeRequestIid = mergeRequest.Iid,
                CheckId = check.Entity.Id,
                EventId = mergeRequestEvent.EventId.ToString(),
                Action = MergeRequestHookPayload.LogAction(mergeRequestEvent.Kind),
                Body = payloads.Build(new HookContext(mergeRequestEvent, project, mergeRequest, check.Entity, actor, detailedMergeStatus)),
                CreatedAt = now,
                UpdatedAt = now,
            };
            var (delivery, created) = await deliveries.CreateOrGetAsync(draft, ct);

            // A redelivered event message finds its deliveries: queue again only one that never got its first attempt.
            if (created || delivery is { Status: DeliveryStatuses.Pending, Attempts: 0 })
            {
                var message = new DeliveryMessage(delivery.Id, project.Id, mergeRequest.Iid, check.Entity.Id, Attempt: 1, RoundStart: 1);
                await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), delay: null, ct);
            }
        });

        logger.LogInformation(
            "{Kind} event {EventId} for project {ProjectId} MR !{Iid} at {Sha}: deliveries to checks {CheckIds}",
            mergeRequestEvent.Kind, mergeRequestEvent.EventId, project.Id, mergeRequest.Iid, mergeRequestEvent.Sha, checks.Select(check => check.Entity.Id).ToList());
    }
}
