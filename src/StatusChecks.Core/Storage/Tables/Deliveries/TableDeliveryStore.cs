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

    /// <summary>About what the payload costs in a storage request (base64 of the bytes).</summary>
    public static long EncodedBytes(DeliveryEntity delivery)
    {
        long bytes = 0;
        for (var i = 0; i < Chunks && Get(delivery, i) is { } chunk; i++)
        {
            bytes += chunk.Length;
        }

        return bytes * 4 / 3;
    }

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
    /// Creates the deliveries of one event (each with its (event, check) index row, in entity-group transactions of the
    /// MR's partition: one for the common event). Returns the created ones, with their ETags, and those of the event
    /// that existed already (a redelivered event message), each once. The created ones are as given (claimed, say).
    /// </summary>
    Task<(IReadOnlyList<DeliveryEntity> Created, IReadOnlyList<DeliveryEntity> Existing)> CreateManyAsync(
        IReadOnlyList<DeliveryEntity> deliveries, CancellationToken cancellationToken);

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

/// <summary>The mutable part of a delivery row, written with Merge so a record never rewrites the payload.</summary>
internal sealed record DeliveryStateEntity : Row
{
    public string Status { get; set; } = DeliveryStatuses.Pending;

    public int Attempts { get; set; }

    public int SendingAttempt { get; set; }

    public DateTimeOffset? SendingUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Table <c>MergeRequestDeliveries</c>, one partition per MR (<c>&lt;project&gt;-&lt;iid&gt;</c>), so the deliveries of one
/// event are created, and their attempts recorded, in one entity-group transaction:
/// <c>delivery|&lt;check&gt;|&lt;id&gt;</c>, <c>event|&lt;event id&gt;|&lt;check&gt;</c> -> delivery id (the idempotency rows, one
/// range per event) and <c>attempt|&lt;check&gt;|&lt;inverted id&gt;|&lt;inverted attempt&gt;</c> (a check's log, newest first).
/// A delivery and its attempts change together, so the number of a check's attempt rows (X-Total of its log) is the
/// sum of its deliveries' <see cref="DeliveryEntity.Attempts"/>: the hot path keeps no counter rows.
/// </summary>
internal sealed class TableDeliveryStore(StatusChecksTables tables) : IDeliveryStore
{
    public const string TableName = "MergeRequestDeliveries";
    private const string DeliveryPrefix = "delivery|";
    private const string EventPrefix = "event|";
    private const string AttemptPrefix = "attempt|";

    // Azure's limits per transaction: 100 actions and 4 MiB; the payload is counted as the base64 it travels as.
    private const int MaxActions = 100;
    private const long MaxTransactionBytes = 3_000_000;

    public static string Partition(long projectId, long iid) =>
        string.Create(CultureInfo.InvariantCulture, $"{projectId}-{iid}");

    private static string DeliveryKey(long checkId, long deliveryId) => $"{DeliveryPrefix}{Keys.Id(checkId)}|{Keys.Id(deliveryId)}";

    private static string EventKey(string eventId, long checkId) => $"{EventPrefix}{eventId}|{Keys.Id(checkId)}";

    public async Task<(IReadOnlyList<DeliveryEntity> Created, IReadOnlyList<DeliveryEntity> Existing)> CreateManyAsync(
        IReadOnlyList<DeliveryEntity> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return ([], []);
        }

        var table = await Table(cancellationToken);
        var created = new List<DeliveryEntity>();
        var existing = new List<DeliveryEntity>();
        foreach (var chunk in Chunk(deliveries, 2, d => 2_000 + DeliveryPayload.EncodedBytes(d)))
        {
            var rows = chunk.Select(d => d with { PartitionKey = Partition(d.ProjectId, d.MergeRequestIid), RowKey = DeliveryKey(d.CheckId, d.Id) }).ToList();
            var actions = rows.SelectMany(row => new TableTransactionAction[]
            {
                new(TableTransactionActionType.Add, row),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = row.PartitionKey, RowKey = EventKey(row.EventId, row.CheckId), TargetId = row.Id }),
            }).ToList();
            try
            {
                var responses = await Transactions.SubmitAsync(table, actions, new Dictionary<string, string>(), cancellationToken);
                created.AddRange(rows.Select((row, i) => row with { ETag = responses.Count > 2 * i ? responses[2 * i].Headers.ETag ?? default : default }));
            }
            catch (ConcurrencyException)
            {
                // A redelivered event: some of these exist. Create the others one by one, return the existing ones.
                foreach (var row in rows)
                {
                    var (delivery, isNew) = await CreateOrGetAsync(table, row, cancellationToken);
                    (isNew ? created : existing).Add(delivery);
                }
            }
        }

        return (created, existing);
    }

    private async Task<(DeliveryEntity Delivery, bool Created)> CreateOrGetAsync(TableClient table, DeliveryEntity row, CancellationToken cancellationToken)
    {
        var eventKey = EventKey(row.EventId, row.CheckId);
        try
        {
            var responses = await Transactions.SubmitAsync(
                table,
                [
                    new(TableTransactionActionType.Add, row),
                    new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = row.PartitionKey, RowKey = eventKey, TargetId = row.Id }),
                ],
                new Dictionary<string, string> { [eventKey] = "event" },
                cancellationToken);
            return (row with { ETag = responses.Count > 0 ? responses[0].Headers.ETag ?? default : default }, true);
        }
        catch (DuplicateKeyException)
        {
            var index = await table.GetEntityAsync<IndexEntity>(row.PartitionKey, eventKey, cancellationToken: cancellationToken);
            var existing = await GetAsync(row.ProjectId, row.MergeRequestIid, row.CheckId, index.Value.TargetId, cancellationToken);
            return (existing ?? throw new ConcurrencyException(), false);
        }
    }

    public async Task<DeliveryEntity?> GetAsync(long projectId, long iid, long checkId, long deliveryId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<DeliveryEntity>(Partition(projectId, iid), DeliveryKey(checkId, deliveryId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<DeliveryEntity> UpdateAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var state = State(delivery);
        var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(state, delivery.ETag, TableUpdateMode.Merge, cancellationToken));
        return delivery with { ETag = response.Headers.ETag ?? default };
    }

    public Task RecordAsync(DeliveryEntity delivery, DeliveryAttemptEntity attempt, CancellationToken cancellationToken) =>
        RecordManyAsync([(delivery, attempt)], cancellationToken);

    public async Task RecordManyAsync(IReadOnlyList<(DeliveryEntity Delivery, DeliveryAttemptEntity? Attempt)> records, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        foreach (var chunk in Chunk(records, 2, _ => 4_000))
        {
            var actions = new List<TableTransactionAction>();
            var unique = new Dictionary<string, string>();
            foreach (var (delivery, attempt) in chunk)
            {
                if (attempt is not null)
                {
                    var attemptKey = AttemptKey(delivery.CheckId, delivery.Id, attempt.Attempt);
                    actions.Add(new(TableTransactionActionType.Add, attempt with { PartitionKey = delivery.PartitionKey, RowKey = attemptKey }));
                    unique[attemptKey] = "attempt";
                }

                actions.Add(new(TableTransactionActionType.UpdateMerge, State(delivery), delivery.ETag));
            }

            await Transactions.SubmitAsync(table, actions, unique, cancellationToken);
        }
    }

    public async Task<Page<DeliveryAttemptEntity>> ListAttemptsAsync(long projectId, long iid, long checkId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Partition(projectId, iid);
        long total = 0;
        await foreach (var delivery in table.QueryAsync<DeliveryEntity>(Pages.Range(partition, $"{DeliveryPrefix}{Keys.Id(checkId)}|"), select: [nameof(DeliveryEntity.Attempts)], cancellationToken: cancellationToken))
        {
            total += delivery.Attempts;
        }

        return await Pages.ReadAsync<DeliveryAttemptEntity>(table, partition, $"{AttemptPrefix}{Keys.Id(checkId)}|", page, total, cancellationToken);
    }

    private static DeliveryStateEntity State(DeliveryEntity delivery) => new()
    {
        PartitionKey = delivery.PartitionKey,
        RowKey = delivery.RowKey,
        Status = delivery.Status,
        Attempts = delivery.Attempts,
        SendingAttempt = delivery.SendingAttempt,
        SendingUntil = delivery.SendingUntil,
        UpdatedAt = delivery.UpdatedAt,
    };

    /// <summary>Splits into transactions of at most 100 actions and about 3 MB.</summary>
    private static IEnumerable<List<T>> Chunk<T>(IReadOnlyList<T> items, int actionsEach, Func<T, long> bytes)
    {
        var chunk = new List<T>();
        long size = 0;
        foreach (var item in items)
        {
            var itemBytes = bytes(item);
            if (chunk.Count > 0 && ((chunk.Count + 1) * actionsEach > MaxActions || size + itemBytes > MaxTransactionBytes))
            {
                yield return chunk;
                chunk = [];
                size = 0;
            }

            chunk.Add(item);
            size += itemBytes;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    // Inverted so that key order is newest delivery first and, within one, newest attempt first.
    private static string AttemptKey(long checkId, long deliveryId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{AttemptPrefix}{Keys.Id(checkId)}|{Keys.Id(long.MaxValue - deliveryId)}|{int.MaxValue - attempt:D10}");

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableName, cancellationToken);
}
