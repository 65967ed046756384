using System.Globalization;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// Table <c>MergeRequestDeliveries</c>, one partition per MR, so the deliveries of one event are created, and their
/// attempts recorded, in one entity-group transaction: the deliveries, the (event, check) index rows that make an event's
/// deliveries idempotent (one range per event) and the attempt rows (a check's log, newest first). Their keys: <see cref="Keys"/>.
/// A delivery and its attempts change together, so the number of a check's attempt rows (X-Total of its log) is the
/// sum of its deliveries' <see cref="DeliveryEntity.Attempts"/>: the hot path keeps no counter rows.
/// </summary>
internal sealed class TableDeliveryStore(StatusChecksTables tables) : IDeliveryStore
{
    public const string TableName = "MergeRequestDeliveries";
    private const string DeliveryPrefix = "delivery|";
    private const string EventPrefix = "event|";
    private const string AttemptPrefix = "attempt|";
    private const string PayloadPrefix = "payload|";

    // Azure's limits per transaction: 100 actions and 4 MiB; the payload is counted as the base64 it travels as.
    private const int MaxActions = 100;
    private const long MaxTransactionBytes = 3_000_000;

    private static string DeliveryKey(long checkId, long deliveryId) => $"{DeliveryPrefix}{Keys.Id(checkId)}|{Keys.Id(deliveryId)}";

    private static string EventKey(string eventId, long checkId) => $"{EventPrefix}{eventId}|{Keys.Id(checkId)}";

    private static string PayloadKey(string eventId, long firstDeliveryId) => $"{PayloadPrefix}{eventId}|{Keys.Id(firstDeliveryId)}";

    public async Task<(IReadOnlyList<DeliveryEntity> Created, IReadOnlyList<DeliveryEntity> Existing)> CreateManyAsync(
        string sharedBody, IReadOnlyList<DeliveryEntity> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return ([], []);
        }

        var table = await Table(cancellationToken);
        var created = new List<DeliveryEntity>();
        var existing = new List<DeliveryEntity>();
        var payload = new EventPayloadEntity { Text = sharedBody };
        var payloadBytes = DeliveryPayload.EncodedBytes(payload);
        foreach (var chunk in Chunk(deliveries, 2, d => 2_000 + (d.BodyTail.Length * 3), reservedActions: 1, reservedBytes: payloadBytes))
        {
            // Each transaction carries its own copy of the shared part, keyed by its first delivery's (new) id: never
            // one an earlier run of the event wrote, so a redelivered event cannot change the body of older deliveries.
            var first = chunk[0];
            var payloadRow = payload with { PartitionKey = Keys.MergeRequestPartition(first.ProjectId, first.MergeRequestIid), RowKey = PayloadKey(first.EventId, first.Id) };
            var rows = chunk.Select(d => d with
            {
                PartitionKey = payloadRow.PartitionKey,
                RowKey = DeliveryKey(d.CheckId, d.Id),
                PayloadKey = payloadRow.RowKey,
                SharedBody = sharedBody,
            }).ToList();
            var actions = rows.SelectMany(row => new TableTransactionAction[]
            {
                new(TableTransactionActionType.Add, row),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = row.PartitionKey, RowKey = EventKey(row.EventId, row.CheckId), TargetId = row.Id }),
            }).Prepend(new(TableTransactionActionType.Add, payloadRow)).ToList();
            try
            {
                var responses = await Transactions.SubmitAsync(table, actions, new Dictionary<string, string>(), cancellationToken);
                created.AddRange(rows.Select((row, i) => row with { ETag = responses.Count > 1 + (2 * i) ? responses[1 + (2 * i)].Headers.ETag ?? default : default }));
            }
            catch (ConcurrencyException)
            {
                // A redelivered event: some of these exist. Create the others one by one, return the existing ones.
                await table.UpsertEntityAsync(payloadRow, TableUpdateMode.Replace, cancellationToken);
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
        var row = await table.GetEntityIfExistsAsync<DeliveryEntity>(Keys.MergeRequestPartition(projectId, iid), DeliveryKey(checkId, deliveryId), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is not { } delivery)
        {
            return null;
        }

        if (delivery.PayloadKey is null)
        {
            return delivery; // a row from before the shared part: its whole body is its own
        }

        var payload = await table.GetEntityAsync<EventPayloadEntity>(delivery.PartitionKey, delivery.PayloadKey, cancellationToken: cancellationToken);
        return delivery with { SharedBody = payload.Value.Text };
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
        var partition = Keys.MergeRequestPartition(projectId, iid);
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

    /// <summary>Splits into transactions of at most 100 actions and about 3 MB, each with room for the reserved ones.</summary>
    private static IEnumerable<List<T>> Chunk<T>(IReadOnlyList<T> items, int actionsEach, Func<T, long> bytes, int reservedActions = 0, long reservedBytes = 0)
    {
        var chunk = new List<T>();
        var size = reservedBytes;
        foreach (var item in items)
        {
            var itemBytes = bytes(item);
            if (chunk.Count > 0 && (reservedActions + ((chunk.Count + 1) * actionsEach) > MaxActions || size + itemBytes > MaxTransactionBytes))
            {
                yield return chunk;
                chunk = [];
                size = reservedBytes;
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
