using System.Globalization;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// A project's checks with their unique name/URL index rows, list counter and audit rows, all in the project's
/// partition, so each create/update/delete (audit row included) is one atomic transaction.
/// </summary>
internal sealed class TableStatusCheckStore(StatusChecksTables tables) : IStatusCheckStore
{
    private const string Prefix = "check|";
    private const string AuditPrefix = "audit|";

    public async Task<IReadOnlyList<StatusCheckEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<StatusCheckEntity>(await Table(cancellationToken), Keys.Partition(projectId), Prefix, cancellationToken);

    public async Task<Page<StatusCheckEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken) =>
        await Pages.ReadAsync<StatusCheckEntity>(await Table(cancellationToken), Keys.Partition(projectId), Prefix, page, cancellationToken);

    public async Task<StatusCheckEntity?> GetAsync(long projectId, long checkId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<StatusCheckEntity>(Keys.Partition(projectId), Prefix + Keys.Id(checkId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(check.ProjectId);
        var (nameKey, urlKey) = (NameKey(check.Name), UrlKey(check.ExternalUrl));
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, check with { PartitionKey = partition, RowKey = Prefix + Keys.Id(check.Id) }),
                new(TableTransactionActionType.Add, Index(partition, nameKey, check.Id)),
                new(TableTransactionActionType.Add, Index(partition, urlKey, check.Id)),
                new(TableTransactionActionType.Add, AuditRow(partition, audit)),
                await Counters.ChangeAsync(table, partition, +1, cancellationToken),
            ],
            new Dictionary<string, string> { [nameKey] = ParameterNames.Name, [urlKey] = ParameterNames.ExternalUrl },
            cancellationToken);
    }

    public async Task<StatusCheckEntity> UpdateAsync(StatusCheckEntity current, StatusCheckEntity updated, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = current.PartitionKey;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, updated with { PartitionKey = partition, RowKey = current.RowKey }, current.ETag),
            new(TableTransactionActionType.Add, AuditRow(partition, audit)),
        };
        var unique = new Dictionary<string, string>();
        MoveIndex(actions, unique, partition, NameKey(current.Name), NameKey(updated.Name), ParameterNames.Name, current.Id);
        MoveIndex(actions, unique, partition, UrlKey(current.ExternalUrl), UrlKey(updated.ExternalUrl), ParameterNames.ExternalUrl, current.Id);
        var responses = await Transactions.SubmitAsync(table, actions, unique, cancellationToken);
        // What this write stored, not a re-read: that could show a later writer's change (or none, after a delete).
        return updated with { PartitionKey = partition, RowKey = current.RowKey, ETag = responses[0].Headers.ETag ?? default };
    }

    public async Task DeleteAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = check.PartitionKey;
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Delete, check, check.ETag),
                new(TableTransactionActionType.Delete, Index(partition, NameKey(check.Name), check.Id)),
                new(TableTransactionActionType.Delete, Index(partition, UrlKey(check.ExternalUrl), check.Id)),
                new(TableTransactionActionType.Add, AuditRow(partition, audit)),
                await Counters.ChangeAsync(table, partition, -1, cancellationToken),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private static void MoveIndex(List<TableTransactionAction> actions, Dictionary<string, string> unique, string partition, string oldKey, string newKey, string field, long checkId)
    {
        if (oldKey == newKey)
        {
            return;
        }

        actions.Add(new(TableTransactionActionType.Delete, Index(partition, oldKey, checkId)));
        actions.Add(new(TableTransactionActionType.Add, Index(partition, newKey, checkId)));
        unique[newKey] = field;
    }

    private static IndexEntity Index(string partition, string rowKey, long checkId) =>
        new() { PartitionKey = partition, RowKey = rowKey, TargetId = checkId };

    // Chronological keys (ticks) plus a GUID so two changes in one tick never collide.
    private static AuditEntity AuditRow(string partition, AuditEntity audit) => audit with
    {
        PartitionKey = partition,
        RowKey = $"{AuditPrefix}{audit.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{Guid.NewGuid():N}",
    };

    // Names and URLs are unique exactly as given (GitLab compares them case-sensitively).
    private static string NameKey(string name) => "name|" + Keys.Hash(name);

    private static string UrlKey(string url) => "url|" + Keys.Hash(url);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.StatusChecks, cancellationToken);
}
