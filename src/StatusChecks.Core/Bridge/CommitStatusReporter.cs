using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

/// <summary>Handles one message of the <see cref="BridgeQueueNames.Statuses"/> queue.</summary>
public interface ICommitStatusProcessor
{
    Task HandleAsync(CommitStatusMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Reports each linked MR's check results to GitLab as commit statuses on its HEAD (docs/API.md (The GitLab bridge)), all through the
/// queue: the domain's hooks queue an evaluation; an evaluation that finds a new desired state stores it with a new
/// version and queues a send; a send posts the current desired state unless that was sent already (so when several
/// pile up only the latest goes out), retried on the notification schedule, each attempt in the bridge's log. While a
/// check is pending, an evaluation is queued for when it would time out, so the timeout to failed is reported too.
/// Posts share the deliveries' fairness (docs/API.md (Notifications; The GitLab bridge)), keyed by the GitLab's API root: a host slot per GitLab
/// host (none free: the send comes back at a booked time), and the GitLab's shared failure state (temporarily disabled:
/// nothing is posted, the log says so, the send waits for the end of the period); neither uses up an attempt.
/// </summary>
internal sealed class CommitStatusReporter(
    IGitLabBridgeStore store,
    IMergeRequestStore mergeRequests,
    MergeRequestEvaluator evaluator,
    ISecretProtector secrets,
    GitLabCommitStatusClient client,
    UrlHealthTracker health,
    HostSlots slots,
    INotificationQueues queues,
    TimeProvider time,
    IOptions<StatusChecksOptions> domainOptions,
    IOptions<NotificationOptions> options,
    ILogger<CommitStatusReporter> logger) : IGitLabBridgeHooks, ICommitStatusProcessor
{
    private const int MaxWriteAttempts = 10;

    public Task MergeRequestChangedAsync(ProjectEntity project, long iid, CancellationToken cancellationToken) =>
        project.GitLabLinked ? QueueAsync(new CommitStatusMessage(CommitStatusMessage.Evaluate, project.Id, iid), null, cancellationToken) : Task.CompletedTask;

    public Task ChecksChangedAsync(ProjectEntity project, CancellationToken cancellationToken) =>
        project.GitLabLinked ? QueueAsync(new CommitStatusMessage(CommitStatusMessage.Evaluate, project.Id, 0), null, cancellationToken) : Task.CompletedTask;

    public Task HandleAsync(CommitStatusMessage message, CancellationToken cancellationToken) =>
        message.Kind == CommitStatusMessage.Send ? SendAsync(message, cancellationToken) : EvaluateAsync(message, cancellationToken);

    private async Task EvaluateAsync(CommitStatusMessage message, CancellationToken cancellationToken)
    {
        var link = await store.GetLinkAsync(message.ProjectId, cancellationToken);
        if (link is null)
        {
            return;
        }

        var targets = message.Iid == 0
            ? await mergeRequests.ListOpenAsync(message.ProjectId, cancellationToken)
            : await mergeRequests.GetAsync(message.ProjectId, message.Iid, cancellationToken) is { } one ? [one] : [];
        var checks = await evaluator.LoadChecksAsync(message.ProjectId, cancellationToken);
        foreach (var mergeRequest in targets.Where(mr => mr.State == MergeRequestStates.Opened))
        {
            var states = await evaluator.EvaluateAsync(mergeRequest, checks, cancellationToken);
            await StoreDesiredAsync(link, mergeRequest, states.Select(s => (s.Check.Entity.Name, s.Status)).ToList(), cancellationToken);
            if (states.Any(s => s.Status == CheckStatuses.Pending))
            {
                // Look again once a pending check would have timed out (its clock started no later than now).
                var delay = domainOptions.Value.PendingTimeout + TimeSpan.FromSeconds(1);
                await QueueAsync(new CommitStatusMessage(CommitStatusMessage.Evaluate, message.ProjectId, mergeRequest.Iid), delay, cancellationToken);
            }
        }
    }

    private async Task StoreDesiredAsync(GitLabLinkEntity link, MergeRequestEntity mergeRequest, IReadOnlyList<(string Name, string Status)> checks, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var report = await store.GetReportAsync(mergeRequest.ProjectId, mergeRequest.Iid, cancellationToken);
            var previous = report is not null && report.Sha == mergeRequest.Sha ? CommitStatusRules.Parse(report.Statuses) : [];
            var statuses = CommitStatusRules.Serialize(CommitStatusRules.Desired(link.StatusName, link.PerCheck, checks, previous));
            if (report is not null && report.Sha == mergeRequest.Sha && report.Ref == mergeRequest.SourceBranch && report.Statuses == statuses)
            {
                if (report.SentVersion < report.Version)
                {
                    // Not yet in GitLab (its retries may have run out): send it again, so a state is never lost.
                    await QueueSendAsync(report, attempt: 1, delay: null, cancellationToken);
                }

                return;
            }

            var next = (report ?? new CommitStatusReportEntity { ProjectId = mergeRequest.ProjectId, Iid = mergeRequest.Iid }) with
            {
                Sha = mergeRequest.Sha,
                Ref = mergeRequest.SourceBranch,
                Statuses = statuses,
                Version = (report?.Version ?? 0) + 1,
                UpdatedAt = time.GetUtcNow(),
            };
            try
            {
                var saved = await store.SaveReportAsync(next, cancellationToken);
                await QueueSendAsync(saved, attempt: 1, delay: null, cancellationToken);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
            }
        }
    }

    private async Task SendAsync(CommitStatusMessage message, CancellationToken cancellationToken)
    {
        var report = await store.GetReportAsync(message.ProjectId, message.Iid, cancellationToken);
        if (report is null || report.SentVersion >= report.Version || (report.Version > message.Version && message.Attempt > 1))
        {
            // Sent already, or a newer state has its own send (its retries are that one's).
            return;
        }

        var link = await store.GetLinkAsync(message.ProjectId, cancellationToken);
        if (link is null)
        {
            return;
        }

        var alreadySent = report.SentSha == report.Sha ? CommitStatusRules.Parse(report.SentStatuses) : [];
        var pending = CommitStatusRules.Parse(report.Statuses).Where(status => !alreadySent.Contains(status)).ToList();
        if (pending.Count == 0)
        {
            await MarkSentAsync(report, cancellationToken); // every status of this state is in GitLab already
            return;
        }

        var api = GitLabCommitStatusClient.ApiBase(link.GitLabUrl);
        if (await health.GetAsync(api, cancellationToken) is var state && state.IsDisabled(time.GetUtcNow()))
        {
            await WaitWhileDisabledAsync(report, message, pending, state, cancellationToken);
            return;
        }

        using var slot = await slots.TryTakeAsync(api, TimeSpan.Zero, cancellationToken);
        if (slot is null)
        {
            // The same message (the same attempt) later, as a delivery that finds no free slot; nothing to log.
            logger.LogInformation("Commit status send for project {ProjectId} MR !{Iid} attempt {Attempt}: the GitLab host has no free slot here; handed back to the queue", report.ProjectId, report.Iid, message.Attempt);
            await QueueAsync(message, slots.BookLater(api), cancellationToken);
            return;
        }

        var results = new List<(DesiredCommitStatus Status, CommitStatusPostResult Result)>();
        string? token = null;
        try
        {
            token = secrets.Unprotect(link.ProtectedAccessToken);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or InvalidOperationException)
        {
            logger.LogError("The GitLab access token of project {ProjectId} cannot be decrypted: {Error}", link.ProjectId, e.Message);
            results.AddRange(pending.Select(status => (status, new CommitStatusPostResult(false, null, TimeSpan.Zero, "The access token cannot be decrypted (was StatusChecks:SecretsKey changed?).", Retryable: false))));
        }

        if (token is not null)
        {
            var targetUrl = $"{domainOptions.Value.WebBaseUrl.AbsoluteUri.TrimEnd('/')}/api/v4/projects/{report.ProjectId.ToString(CultureInfo.InvariantCulture)}/merge_requests/{report.Iid.ToString(CultureInfo.InvariantCulture)}/status_checks";
            foreach (var status in pending)
            {
                var result = await client.PostAsync(link.GitLabUrl, link.GitLabProjectId, token, report.Sha, report.Ref, status, targetUrl, cancellationToken);
                await health.RecordAsync(api, result.AsWebhookResult(), cancellationToken);
                results.Add((status, result));
            }
        }

        var retryable = results.Any(r => !r.Result.Succeeded && r.Result.Retryable);
        var retryIn = retryable ? RetrySchedule.Parse(options.Value.RetrySchedule).DelayAfter(message.Attempt) : null;
        if (retryIn is { } delay)
        {
            // Queued before anything is recorded: if recording fails the host retries this message, which sends again.
            await QueueSendAsync(report, message.Attempt + 1, delay, cancellationToken);
        }

        foreach (var (status, result) in results)
        {
            var outcome = result.Succeeded ? DeliveryStatuses.Succeeded : result.Retryable && retryIn is not null ? DeliveryStatuses.Retrying : DeliveryStatuses.Failed;
            await RecordAsync(report, message, status, outcome, result.ResponseCode, result.Duration, result.Error, cancellationToken);
        }

        if (results.All(r => r.Result.Succeeded))
        {
            await MarkSentAsync(report, cancellationToken);
        }
    }

    /// <summary>
    /// The GitLab is temporarily disabled: nothing is posted; the same message (the same attempt, so the retry schedule is
    /// not used up) comes back when the period ends, and the log says why. It then posts whatever is the latest desired state.
    /// </summary>
    private async Task WaitWhileDisabledAsync(
        CommitStatusReportEntity report, CommitStatusMessage message, IReadOnlyList<DesiredCommitStatus> pending, UrlHealthState state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await QueueAsync(message, UrlHealthRules.WaitFor(state, now), cancellationToken);
        var error = UrlHealthRules.NotSent(state, now, "the commit status");
        foreach (var status in pending)
        {
            await RecordAsync(report, message, status, DeliveryStatuses.Retrying, null, TimeSpan.Zero, error, cancellationToken);
        }
    }

    private async Task RecordAsync(
        CommitStatusReportEntity report, CommitStatusMessage message, DesiredCommitStatus status, string outcome, int? responseCode, TimeSpan duration, string? error, CancellationToken cancellationToken)
    {
        await store.AddAttemptAsync(
            report.ProjectId,
            new CommitStatusAttemptEntity
            {
                Iid = report.Iid,
                Sha = report.Sha,
                Name = status.Name,
                State = status.State,
                Version = report.Version,
                Attempt = message.Attempt,
                Trigger = message.Attempt == 1 ? "event" : "retry",
                Status = outcome,
                ResponseCode = responseCode,
                DurationMs = (long)duration.TotalMilliseconds,
                Error = error,
                At = time.GetUtcNow(),
            },
            cancellationToken);
        logger.LogInformation(
            "Commit status {Name}={State} for project {ProjectId} MR !{Iid} at {Sha} (version {Version}, attempt {Attempt}): {Outcome} {Error}",
            status.Name, status.State, report.ProjectId, report.Iid, report.Sha, report.Version, message.Attempt, outcome, error ?? "");
    }

    private async Task MarkSentAsync(CommitStatusReportEntity sent, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var current = await store.GetReportAsync(sent.ProjectId, sent.Iid, cancellationToken);
            if (current is null || current.SentVersion >= sent.Version)
            {
                return;
            }

            try
            {
                await store.SaveReportAsync(current with { SentVersion = sent.Version, SentStatuses = sent.Statuses, SentSha = sent.Sha }, cancellationToken);
                return;
            }
            catch (ConcurrencyException)
            {
                await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
            }
        }
    }

    private Task QueueSendAsync(CommitStatusReportEntity report, int attempt, TimeSpan? delay, CancellationToken cancellationToken) =>
        QueueAsync(new CommitStatusMessage(CommitStatusMessage.Send, report.ProjectId, report.Iid, report.Version, attempt), delay, cancellationToken);

    private Task QueueAsync(CommitStatusMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        queues.SendAsync(BridgeQueueNames.Statuses, BridgeMessages.Encode(message), delay, cancellationToken);
}
