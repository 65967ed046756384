using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal interface IDeliveryStore
{
    /// <summary>
    /// Creates the deliveries of one event (each with its (event, check) index row, in entity-group transactions of the
    /// MR's partition: one for the common event), with the body's <paramref name="sharedBody"/> stored once beside them
    /// (each delivery keeps only its <see cref="DeliveryEntity.BodyTail"/>). Returns the created ones, with their ETags,
    /// and those of the event that existed already (a redelivered event message), each once. The created ones are as
    /// given (claimed, say).
    /// </summary>
    Task<(IReadOnlyList<DeliveryEntity> Created, IReadOnlyList<DeliveryEntity> Existing)> CreateManyAsync(
        string sharedBody, IReadOnlyList<DeliveryEntity> deliveries, CancellationToken cancellationToken);

    /// <summary>The delivery with its whole <see cref="DeliveryEntity.Body"/> (its event's shared part read too).</summary>
    Task<DeliveryEntity?> GetAsync(long projectId, long iid, long checkId, long deliveryId, CancellationToken cancellationToken);

    /// <summary>ETag-checked; ConcurrencyException when the delivery changed since it was read.</summary>
    Task<DeliveryEntity> UpdateAsync(DeliveryEntity delivery, CancellationToken cancellationToken);

    /// <summary>
    /// The attempt row and the delivery's new state (its <see cref="DeliveryEntity.Attempts"/>) in one transaction
    /// (delivery ETag-checked).
    /// DuplicateKeyException("attempt") when that attempt is recorded already; ConcurrencyException otherwise.
    /// </summary>
    Task RecordAsync(DeliveryEntity delivery, DeliveryAttemptEntity attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Several deliveries of one MR at once: each an attempt row and the delivery's new state, or (attempt null) only
    /// the new state (a released claim); as few transactions as fit (100 actions each), every delivery ETag-checked.
    /// ConcurrencyException or DuplicateKeyException when a transaction failed: the caller records those one by one.
    /// </summary>
    Task RecordManyAsync(IReadOnlyList<(DeliveryEntity Delivery, DeliveryAttemptEntity? Attempt)> records, CancellationToken cancellationToken);

    /// <summary>The attempts of one check on one MR, newest first.</summary>
    Task<Page<DeliveryAttemptEntity>> ListAttemptsAsync(long projectId, long iid, long checkId, PageRequest page, CancellationToken cancellationToken);
}
