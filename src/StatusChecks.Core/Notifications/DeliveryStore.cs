using System.Globalization;
using System.Runtime.Serialization;
using System.Text;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

public static class DeliveryStatuses
{
    /// <summary>Not yet delivered; an attempt is queued or running.</summary>
    public const string Pending = "pending";

    public const string Succeeded = "succeeded";

    /// <summary>Given up: the last attempt of the schedule failed, or the guard refused the target.</summary>
    public const string Failed = "failed";

    /// <summary>An attempt that failed and will be retried.</summary>
    public const string Retrying = "retrying";
}

/// <summary>One delivery: one (event, check). Holds the payload as built at fan-out, so every attempt sends the same body.</summary>
internal sealed record DeliveryEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long MergeRequestIid { get; set; }

    public long CheckId { get; set; }

    public string EventId { get; set; } = "";

    /// <summary>The payload's <c>object_attributes.action</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>
    /// The JSON body every attempt sends. Stored as UTF-8 in up to <see cref="DeliveryPayload.Chunks"/> binary properties
    /// (one string property holds only 32K characters; a payload with a long description is larger).
    /// </summary>
    [IgnoreDataMember]
    public string Body
    {
        get => DeliveryPayload.Read(this);
        set => DeliveryPayload.Write(this, value);
    }

    /// <summary>The body as rows written before chunking hold it; never written now.</summary>
    public string? Payload { get; set; }

    public byte[]? PayloadBytes00 { get; set; }

    public byte[]? PayloadBytes01 { get; set; }

    public byte[]? PayloadBytes02 { get; set; }

    public byte[]? PayloadBytes03 { get; set; }

    public byte[]? PayloadBytes04 { get; set; }

    public byte[]? PayloadBytes05 { get; set; }

    public byte[]? PayloadBytes06 { get; set; }

    public byte[]? PayloadBytes07 { get; set; }

    public byte[]? PayloadBytes08 { get; set; }

    public byte[]? PayloadBytes09 { get; set; }

    public byte[]? PayloadBytes10 { get; set; }

    public byte[]? PayloadBytes11 { get; set; }

    public string Status { get; set; } = DeliveryStatuses.Pending;

    /// <summary>Attempts recorded so far; the next queued message must carry <c>Attempts + 1</c>.</summary>
    public int Attempts { get; set; }

    /// <summary>The attempt being sent right now (0 = none), claimed until <see cref="SendingUntil"/>.</summary>
    public int SendingAttempt { get; set; }

    public DateTimeOffset? SendingUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A delivery's body in binary properties: 12 of 64,000 bytes. An entity holds at most 1 MiB, and Azurite counts
/// the request's JSON, where binary is base64 (4/3): 768,000 bytes are 1,024,000 there, leaving room for the other
/// properties. Any payload of an accepted MR fits (see <see cref="Domain.Rules.MaxDescriptionLength"/>).
/// </summary>
internal static class DeliveryPayload
{
    public const int Chunks = 12;

    public const int ChunkBytes = 64_000;

    public const int MaxBytes = Chunks * ChunkBytes;

    public static string Read(DeliveryEntity delivery)
    {
        if (delivery.PayloadBytes00 is null)
        {
            return delivery.Payload ?? "";
        }

        var bytes = new List<byte>();
        for (var i = 0; i < Chunks && Get(delivery, i) is { } chunk; i++)
        {
            bytes.AddRange(chunk);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Throws when the body does not fit: a payload is never stored cut short.</summary>
    public static void Write(DeliveryEntity delivery, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (bytes.Length > MaxBytes)
        {
            throw new InvalidOperationException($"A delivery payload of {bytes.Length} bytes exceeds {MaxBytes} bytes.");
        }

        delivery.Payload = null;
        for (var i = 0; i < Chunks; i++)
        {
            var start = i * ChunkBytes;
            // An empty body still gets its first chunk, so it is not mistaken for a row from before chunking.
            Set(delivery, i, start < bytes.Length || i == 0 ? bytes[start..Math.Min(bytes.Length, start + ChunkBytes)] : null);
        }
    }

    private static byte[]? Get(DeliveryEntity d, int i) => i switch
    {
        0 => d.PayloadBytes00,
        1 => d.PayloadBytes01,
        2 => d.PayloadBytes02,
        3 => d.PayloadBytes03,
        4 => d.PayloadBytes04,
        5 => d.PayloadBytes05,
        6 => d.PayloadBytes06,
        7 => d.PayloadBytes07,
        8 => d.PayloadBytes08,
        9 => d.PayloadBytes09,
        10 => d.PayloadBytes10,
        11 => d.PayloadBytes11,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    private static void Set(DeliveryEntity d, int i, byte[]? chunk)
    {
        switch (i)
        {
            case 0: d.PayloadBytes00 = chunk; break;
            case 1: d.PayloadBytes01 = chunk; break;
            case 2: d.PayloadBytes02 = chunk; break;
            case 3: d.PayloadBytes03 = chunk; break;
            case 4: d.PayloadBytes04 = chunk; break;
            case 5: d.PayloadBytes05 = chunk; break;
            case 6: d.PayloadBytes06 = chunk; break;
            case 7: d.PayloadBytes07 = chunk; break;
            case 8: d.PayloadBytes08 = chunk; break;
            case 9: d.PayloadBytes09 = chunk; break;
            case 10: d.PayloadBytes10 = chunk; break;
            case 11: d.PayloadBytes11 = chunk; break;
            default: throw new ArgumentOutOfRangeException(nameof(i));
        }
    }
}

/// <summary>One attempt of a delivery (append-only): the delivery log of SPEC section 6.</summary>
internal sealed record DeliveryAttemptEntity : Row
{
    public long DeliveryId { get; set; }

    public string EventId { get; set; } = "";

    public string Action { get; set; } = "";

    public int Attempt { get; set; }

    /// <summary><c>event</c>, <c>retry</c> or <c>redeliver</c>.</summary>
    public string Trigger { get; set; } = "";

    /// <summary><see cref="DeliveryStatuses.Succeeded"/>, <see cref="DeliveryStatuses.Retrying"/> or <see cref="DeliveryStatuses.Failed"/>.</summary>
    public string Status { get; set; } = "";

    public int? ResponseCode { get; set; }

    public long DurationMs { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset At { get; set; }
}

internal interface IDeliveryStore
{
    /// <summary>
    /// Creates the delivery and its (event, check) index row in one transaction, or returns the delivery that exists.
    /// A created delivery comes back without its ETag (it is not updated by the caller; processors read it first).
    /// </summary>
    Task<(DeliveryEntity Delivery, bool Created)> CreateOrGetAsync(DeliveryEntity delivery, CancellationToken cancellationToken);

    Task<DeliveryEntity?> GetAsync(long projectId, long iid, long checkId, long deliveryId, CancellationToken cancellationToken);

    /// <summary>ETag-checked; ConcurrencyException when the delivery changed since it was read.</summary>
    Task<DeliveryEntity> UpdateAsync(DeliveryEntity delivery, CancellationToken cancellationToken);

    /// <summary>
    /// The attempt row and the delivery's new state (its <see cref="DeliveryEntity.Attempts"/>) in one transaction
    /// (delivery ETag-checked).
    /// DuplicateKeyException("attempt") when that attempt is recorded already; ConcurrencyException otherwise.
    /// </summary>
    Task RecordAsync(DeliveryEntity delivery, DeliveryAttemptEntity attempt, CancellationToken cancellationToken);

    /// <summary>The attempts of one check on one MR, newest first.</summary>
    Task<Page<DeliveryAttemptEntity>> ListAttemptsAsync(long projectId, long iid, long checkId, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>
/// Table <c>Deliveries</c>, one partition per (project, MR, check): <c>delivery|&lt;id&gt;</c>, <c>event|&lt;event id&gt;</c>
/// -> delivery id (the idempotency point read) and <c>attempt|&lt;inverted id&gt;|&lt;inverted attempt&gt;</c> (newest first).
/// A delivery and its attempts change together, so the number of attempt rows (X-Total of the log) is the sum of the
/// deliveries' <see cref="DeliveryEntity.Attempts"/>: the hot path keeps no counter rows.
/// </summary>
internal sealed class TableDeliveryStore(StatusChecksTables tables) : IDeliveryStore
{
    public const string TableName = "Deliveries";
    private const string DeliveryPrefix = "delivery|";
    private const string EventPrefix = "event|";
    private const string AttemptPrefix = "attempt|";

    public static string Partition(long projectId, long iid, long checkId) =>
        string.Create(CultureInfo.InvariantCulture, $"{projectId}-{iid}-{checkId}");

    public async Task<(DeliveryEntity Delivery, bool Created)> CreateOrGetAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Partition(delivery.ProjectId, delivery.MergeRequestIid, delivery.CheckId);
        var eventKey = EventPrefix + delivery.EventId;
        var row = delivery with { PartitionKey = partition, RowKey = DeliveryPrefix + Keys.Id(delivery.Id) };
        try
        {
            await Transactions.SubmitAsync(
                table,
                [
                    new(TableTransactionActionType.Add, row),
                    new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = partition, RowKey = eventKey, TargetId = delivery.Id }),
                ],
                new Dictionary<string, string> { [eventKey] = "event" },
                cancellationToken);
            return (row, true);
        }
        catch (DuplicateKeyException)
        {
            var index = await table.GetEntityAsync<IndexEntity>(partition, eventKey, cancellationToken: cancellationToken);
            var existing = await GetAsync(delivery.ProjectId, delivery.MergeRequestIid, delivery.CheckId, index.Value.TargetId, cancellationToken);
            return (existing ?? throw new ConcurrencyException(), false);
        }
    }

    public async Task<DeliveryEntity?> GetAsync(long projectId, long iid, long checkId, long deliveryId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<DeliveryEntity>(Partition(projectId, iid, checkId), DeliveryPrefix + Keys.Id(deliveryId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<DeliveryEntity> UpdateAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(delivery, delivery.ETag, TableUpdateMode.Replace, cancellationToken));
        return delivery with { ETag = response.Headers.ETag ?? default };
    }

    public async Task RecordAsync(DeliveryEntity delivery, DeliveryAttemptEntity attempt, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var attemptKey = AttemptKey(delivery.Id, attempt.Attempt);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, attempt with { PartitionKey = delivery.PartitionKey, RowKey = attemptKey }),
                new(TableTransactionActionType.UpdateReplace, delivery, delivery.ETag),
            ],
            new Dictionary<string, string> { [attemptKey] = "attempt" },
            cancellationToken);
    }

    public async Task<Page<DeliveryAttemptEntity>> ListAttemptsAsync(long projectId, long iid, long checkId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Partition(projectId, iid, checkId);
        long total = 0;
        await foreach (var delivery in table.QueryAsync<DeliveryEntity>(Pages.Range(partition, DeliveryPrefix), select: [nameof(DeliveryEntity.Attempts)], cancellationToken: cancellationToken))
        {
            total += delivery.Attempts;
        }

        return await Pages.ReadAsync<DeliveryAttemptEntity>(table, partition, AttemptPrefix, page, total, cancellationToken);
    }

    // Inverted so that key order is newest delivery first and, within one, newest attempt first.
    private static string AttemptKey(long deliveryId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{AttemptPrefix}{Keys.Id(long.MaxValue - deliveryId)}|{int.MaxValue - attempt:D10}");

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableName, cancellationToken);
}
