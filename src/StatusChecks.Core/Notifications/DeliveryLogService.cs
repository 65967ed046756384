using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// (extension, docs/API.md (Delivery log)) One attempt to notify a check: <see cref="Id"/> is the delivery's id (shared by its
/// attempts; the one to redeliver), <see cref="EventId"/> the <c>X-Gitlab-Event-UUID</c> sent. <see cref="Status"/>:
/// succeeded, retrying (failed, another attempt is scheduled) or failed.
/// </summary>
public sealed record StatusCheckDelivery(
    long Id,
    Guid EventId,
    string Action,
    int Attempt,
    string Trigger,
    string Status,
    int? ResponseCode,
    long DurationMs,
    string? Error,
    DateTimeOffset CreatedAt);

public interface IDeliveryLogService
{
    /// <summary>Maintainer. Every attempt for one check on one MR, newest first. NotFound(ResourceNames.MergeRequest / ExternalStatusCheck).</summary>
    Task<Page<StatusCheckDelivery>> ListAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. Queues the delivery again as a new attempt (a new round of retries). NotFound(ResourceNames.Delivery) too.</summary>
    Task RedeliverAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, long deliveryId, CancellationToken cancellationToken = default);
}

internal sealed class DeliveryLogService(
    IProjectAccess access,
    IMergeRequestStore mergeRequests,
    IStatusCheckStore checks,
    IDeliveryStore deliveries,
    INotificationQueues queues) : IDeliveryLogService
{
    public async Task<Page<StatusCheckDelivery>> ListAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await RequireAsync(caller, projectRef, iid, checkId, write: false, cancellationToken);
        var attempts = await deliveries.ListAttemptsAsync(project.Id, iid, checkId, page, cancellationToken);
        return new Page<StatusCheckDelivery>(attempts.Items.Select(Shape).ToList(), attempts.PageNumber, attempts.PerPage, attempts.Total);
    }

    public async Task RedeliverAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, long deliveryId, CancellationToken cancellationToken = default)
    {
        var project = await RequireAsync(caller, projectRef, iid, checkId, write: true, cancellationToken);
        var delivery = await deliveries.GetAsync(project.Id, iid, checkId, deliveryId, cancellationToken)
            ?? throw new DomainException(new DomainError.NotFound(ResourceNames.Delivery));

        // The message itself starts the new round (RoundStart = its attempt), so nothing is written here: a
        // redelivery is acknowledged only once its message is on the queue.
        var next = delivery.Attempts + 1;
        var message = new DeliveryMessage(delivery.Id, project.Id, iid, checkId, next, next);
        await queues.SendAsync(NotificationQueueNames.Deliveries, NotificationMessages.Encode(message), delay: null, cancellationToken);
    }

    private async Task<ProjectEntity> RequireAsync(Caller caller, ProjectRef projectRef, long iid, long checkId, bool write, CancellationToken cancellationToken)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write, cancellationToken);
        if (await mergeRequests.GetAsync(project.Id, iid, cancellationToken) is null)
        {
            throw new DomainException(new DomainError.NotFound(ResourceNames.MergeRequest));
        }

        if (await checks.GetAsync(project.Id, checkId, cancellationToken) is null)
        {
            throw new DomainException(new DomainError.NotFound(ResourceNames.ExternalStatusCheck));
        }

        return project;
    }

    private static StatusCheckDelivery Shape(DeliveryAttemptEntity attempt) => new(
        attempt.DeliveryId,
        Guid.Parse(attempt.EventId),
        attempt.Action,
        attempt.Attempt,
        attempt.Trigger,
        attempt.Status,
        attempt.ResponseCode,
        attempt.DurationMs,
        attempt.Error,
        attempt.At);
}
