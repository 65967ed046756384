using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal sealed class TableProtectedBranchStore(StatusChecksTables tables) : IProtectedBranchStore
{
    private const string Prefix = "branch|";

    public async Task<IReadOnlyList<ProtectedBranchEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<ProtectedBranchEntity>(await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken), Keys.Partition(projectId), Prefix, cancellationToken);

    public async Task<Page<ProtectedBranchEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken) =>
        await Pages.ReadAsync<ProtectedBranchEntity>(await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken), Keys.Partition(projectId), Prefix, page, cancellationToken);

    public async Task<ProtectedBranchEntity?> FindByNameAsync(long projectId, string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        var partition = Keys.Partition(projectId);
        var index = await table.GetEntityIfExistsAsync<IndexEntity>(partition, NameKey(name), cancellationToken: cancellationToken);
        if (!index.HasValue)
        {
            return null;
        }

        var row = await table.GetEntityIfExistsAsync<ProtectedBranchEntity>(partition, Prefix + Keys.Id(index.Value!.TargetId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        var partition = Keys.Partition(branch.ProjectId);
        var nameKey = NameKey(branch.Name);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, branch with { PartitionKey = partition, RowKey = Prefix + Keys.Id(branch.Id) }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = partition, RowKey = nameKey, TargetId = branch.Id }),
                await Counters.ChangeAsync(table, partition, +1, cancellationToken),
            ],
            new Dictionary<string, string> { [nameKey] = ParameterNames.Name },
            cancellationToken);
    }

    public async Task DeleteAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Delete, branch, branch.ETag),
                new(TableTransactionActionType.Delete, new IndexEntity { PartitionKey = branch.PartitionKey, RowKey = NameKey(branch.Name) }),
                await Counters.ChangeAsync(table, branch.PartitionKey, -1, cancellationToken),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private static string NameKey(string name) => "name|" + Keys.Hash(name);
}
