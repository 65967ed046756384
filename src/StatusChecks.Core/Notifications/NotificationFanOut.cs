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
/// Validates an event against the stored MR (<see cref="FanOutRules"/>) and delivers it to every applicable check
/// in this invocation: the deliveries are created claimed, in one transaction of the MR's partition (the body's
/// shared part stored once beside them), sent concurrently, and their attempts recorded in one transaction; only
/// failed ones go on the deliveries queue (their retries). A slow URL never holds the batch: once a whole
/// <see cref="NotificationOptions.InlineDeliveryWait"/> passes with no delivery finishing (<see cref="InlineWait"/>),
/// the unfinished deliveries go on in the background, each watched by a queue message that takes over if this
/// instance dies; a host with no free slot (<see cref="HostSlots"/>) or a temporarily disabled URL hands its delivery to the
/// queue. A redelivered event message finds its deliveries and sends none of them inline: what was recorded is
/// done, what was not is handed to the queue.
/// </summary>
internal sealed class NotificationFanOut(
    IMergeRequestStore mergeRequests,
    IProjectStore projects,
    IUserStore users,
    MergeRequestEvaluator evaluator,
    IDeliveryStore deliveries,
    MergeRequestHookPayload payloads,
    DeliveryAttempts attempts,
    UrlHealthTracker health,
    HostSlots slots,
    INotificationQueues queues,
    IIdGenerator ids,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<NotificationFanOut> logger) : INotificationFanOut
{
    public async Task HandleAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken)
    {
        // Independent reads, in one round trip.
        var mergeRequestRead = mergeRequests.GetAsync(mergeRequestEvent.ProjectId, mergeRequestEvent.MergeRequestIid, cancellationToken);
        var checksRead = evaluator.LoadChecksAsync(mergeRequestEvent.ProjectId, cancellationToken);
        var projectRead = projects.GetAsync(mergeRequestEvent.ProjectId, cancellationToken);
        var actorRead = MergeRequestHookPayload.UserId(mergeRequestEvent.Actor) is { } userId ? users.GetAsync(userId, cancellationToken) : Task.FromResult<UserEntity?>(null);
        await Task.WhenAll(mergeRequestRead, checksRead, projectRead, actorRead);
        var stored = await mergeRequestRead;
        var checks = await checksRead;
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
                var project = await projectRead ?? throw new InvalidOperationException($"Project {mergeRequestEvent.ProjectId} of a stored merge request does not exist.");
                await DeliverAsync(mergeRequestEvent, project, await actorRead, stored!, deliver.Checks, checks, cancellationToken);
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
        MergeRequestEvent mergeRequestEvent,
        ProjectEntity project,
        UserEntity? actor,
        MergeRequestEntity mergeRequest,
        IReadOnlyList<ResolvedCheck> checks,
        IReadOnlyList<ResolvedCheck> projectChecks,
        CancellationToken cancellationToken)
    {
        // The hook's detailed_merge_status; the checks' statuses are read only when they can block the merge.
        var statuses = mergeRequest.State == MergeRequestStates.Opened && project.OnlyAllowMergeIfAllStatusChecksPassed
            ? (await evaluator.EvaluateAsync(mergeRequest, projectChecks, cancellationToken)).Select(state => state.Status).ToList()
            : [];
        var detailedMergeStatus = CheckRules.DetailedMergeStatus(mergeRequest.State, project.OnlyAllowMergeIfAllStatusChecksPassed, statuses);

        // The URLs' failure states are read (when not cached) while the deliveries are created.
        var healthReads = checks
            .Select(check => check.Entity.ExternalUrl)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(url => url, url => health.GetAsync(new Uri(url), cancellationToken), StringComparer.Ordinal);

        var now = time.GetUtcNow();
        var sharedBody = payloads.Shared(new HookContext(mergeRequestEvent, project, mergeRequest, actor, detailedMergeStatus));
        var drafts = new List<DeliveryEntity>(checks.Count);
        foreach (var check in checks)
        {
            drafts.Add(new DeliveryEntity
            {
                Id = await ids.NextAsync(IdKind.Delivery, cancellationToken),
                ProjectId = project.Id,
                MergeRequestIid = mergeRequest.Iid,
                CheckId = check.Entity.Id,
                EventId = mergeRequestEvent.EventId.ToString(),
                Action = MergeRequestHookPayload.LogAction(mergeRequestEvent.Kind),
                BodyTail = MergeRequestHookPayload.Tail(check.Entity),
                // Created claimed for attempt 1: this invocation sends it, no second write needed.
                SendingAttempt = 1,
                SendingUntil = attempts.ClaimUntil(now),
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        var (created, existing) = await deliveries.CreateManyAsync(sharedBody, drafts, cancellationToken);
        await Task.WhenAll(healthReads.Values);
        await Task.WhenAll(existing.Select(delivery => ResumeAsync(delivery, cancellationToken)));

        var byId = checks.ToDictionary(check => check.Entity.Id);
        await SendAllAsync(created, byId, healthReads.ToDictionary(pair => pair.Key, pair => pair.Value.Result, StringComparer.Ordinal), cancellationToken);

        logger.LogInformation(
            "{Kind} event {EventId} for project {ProjectId} MR !{Iid} at {Sha}: delivered to checks {CheckIds} ({Existing} found from an earlier run)",
            mergeRequestEvent.Kind, mergeRequestEvent.EventId, project.Id, mergeRequest.Iid, mergeRequestEvent.Sha, checks.Select(check => check.Entity.Id).ToList(), existing.Count);
    }

    /// <summary>
    /// A delivery an earlier run of this event created. Recorded attempts are done (their retries were queued before
    /// their record); one never recorded goes to the queue, after the earlier claim ends if it is still running.
    /// </summary>
    private Task ResumeAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        if (delivery.Attempts > 0)
        {
            return Task.CompletedTask;
        }

        var now = time.GetUtcNow();
        TimeSpan? delay = delivery.SendingAttempt == 1 && delivery.SendingUntil is { } until && until > now ? until - now : null;
        var message = new DeliveryMessage(delivery.Id, delivery.ProjectId, delivery.MergeRequestIid, delivery.CheckId, Attempt: 1, RoundStart: 1);
        return queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), delay, cancellationToken);
    }

    private async Task SendAllAsync(
        IReadOnlyList<DeliveryEntity> created, Dictionary<long, ResolvedCheck> checks, Dictionary<string, UrlHealthState> states, CancellationToken cancellationToken)
    {
        if (created.Count == 0)
        {
            return;
        }

        var deadline = time.GetUtcNow() + options.Value.InlineDeliveryWait;
        var sends = created
            .Select(delivery => (Delivery: delivery, Task: SendOneAsync(delivery, checks[delivery.CheckId].Entity, states[checks[delivery.CheckId].Entity.ExternalUrl], deadline)))
            .ToList();
        // Not cut short by the invocation's token: what finished is still recorded below (or not at all).
        await InlineWait.WhileFinishingAsync(sends.Select(send => (Task)send.Task).ToList(), options.Value.InlineDeliveryWait, options.Value.RequestTimeout, time);

        Uri Url(DeliveryEntity delivery) => new(checks[delivery.CheckId].Entity.ExternalUrl);
        // One look at the sends: one that finishes while the finished ones are being completed is still running here
        // (a second look would find it in neither group, and it would be neither recorded nor watched).
        var byState = sends.ToLookup(send => send.Task.IsCompletedSuccessfully);
        var records = await Task.WhenAll(byState[true].Select(send => CompleteAsync(send.Delivery, Url(send.Delivery), send.Task.Result, cancellationToken)));
        foreach (var (delivery, task) in byState[false])
        {
            // Still sending: a watchdog message takes the attempt over if this instance dies before it is recorded.
            var message = FirstAttempt(delivery);
            await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), delivery.SendingUntil - time.GetUtcNow(), cancellationToken);
            _ = FinishLaterAsync(delivery, Url(delivery), task);
        }

        try
        {
            await deliveries.RecordManyAsync(records, cancellationToken);
            foreach (var (state, attempt) in records)
            {
                if (attempt is not null)
                {
                    attempts.Log(state, attempt);
                }
            }
        }
        catch (Exception e) when (e is ConcurrencyException or DuplicateKeyException)
        {
            // Some delivery changed (taken over, or recorded by another copy of this event): record one by one.
            logger.LogWarning("The batch record of {Count} deliveries failed ({Error}); recording them one by one", records.Length, e.GetType().Name);
            foreach (var (state, attempt) in records.Where(record => record.Attempt is not null))
            {
                await attempts.RecordAsync(state, attempt!, cancellationToken);
            }
        }
    }

    /// <summary>One delivery's first attempt: deferred when its URL is disabled, handed over when its host has no free slot in time.</summary>
    private async Task<InlineOutcome> SendOneAsync(DeliveryEntity delivery, StatusCheckEntity check, UrlHealthState state, DateTimeOffset deadline)
    {
        if (state.IsDisabled(time.GetUtcNow()))
        {
            return new InlineOutcome.Disabled(state);
        }

        using var slot = await slots.TryTakeAsync(new Uri(check.ExternalUrl), deadline - time.GetUtcNow(), CancellationToken.None);
        if (slot is null)
        {
            return new InlineOutcome.NoSlot();
        }

        // Not the invocation's token: a send that outlives the invocation finishes in the background.
        return new InlineOutcome.Sent(await attempts.SendAsync(delivery, check, CancellationToken.None));
    }

    /// <summary>Queues what comes next for a finished inline delivery; returns what to record.</summary>
    private async Task<(DeliveryEntity Delivery, DeliveryAttemptEntity? Attempt)> CompleteAsync(DeliveryEntity delivery, Uri url, InlineOutcome outcome, CancellationToken cancellationToken)
    {
        var message = FirstAttempt(delivery);
        switch (outcome)
        {
            case InlineOutcome.Sent sent:
                return await attempts.AfterSendAsync(delivery, message, sent.Result, cancellationToken);
            case InlineOutcome.Disabled disabled:
                return await attempts.DeferAsync(delivery, message, disabled.State, cancellationToken);
            default:
                // No slot: released (nothing recorded), the queue makes the attempt.
                await attempts.HandOverAsync(message, url, cancellationToken);
                return (delivery with { SendingAttempt = 0, SendingUntil = null, UpdatedAt = time.GetUtcNow() }, null);
        }
    }

    /// <summary>A delivery that outlived the inline wait: recorded on its own when it ends (the watchdog covers a crash).</summary>
    private async Task FinishLaterAsync(DeliveryEntity delivery, Uri url, Task<InlineOutcome> send)
    {
        try
        {
            var (state, attempt) = await CompleteAsync(delivery, url, await send, CancellationToken.None);
            if (attempt is not null)
            {
                await attempts.RecordAsync(state, attempt, CancellationToken.None);
            }
            else
            {
                await deliveries.UpdateAsync(state, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Delivery {DeliveryId} finished after the inline wait but was not recorded ({Error}); its queued watchdog takes over", delivery.Id, e.Message);
        }
    }

    private static DeliveryMessage FirstAttempt(DeliveryEntity delivery) =>
        new(delivery.Id, delivery.ProjectId, delivery.MergeRequestIid, delivery.CheckId, Attempt: 1, RoundStart: 1);

    private abstract record InlineOutcome
    {
        public sealed record Sent(WebhookResult Result) : InlineOutcome;

        public sealed record Disabled(UrlHealthState State) : InlineOutcome;

        public sealed record NoSlot : InlineOutcome;
    }
}
