using Azure.Data.Tables;
using StatusChecks.Core.Services;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal sealed class TableProjectStore(StatusChecksTables tables, AccessCache cache) : IProjectStore
{
    private const string Partition = "projects";

    public async Task<ProjectEntity?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<ProjectEntity>(Partition, "id|" + Keys.Id(id), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<ProjectEntity?> FindByPathAsync(string pathWithNamespace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var index = await table.GetEntityIfExistsAsync<IndexEntity>(Partition, PathKey(pathWithNamespace), cancellationToken: cancellationToken);
        return index.HasValue ? await GetAsync(index.Value!.TargetId, cancellationToken) : null;
    }

    public async Task CreateAsync(ProjectEntity project, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var pathKey = PathKey(project.Namespace + "/" + project.Path);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, project with { PartitionKey = Partition, RowKey = "id|" + Keys.Id(project.Id) }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = Partition, RowKey = pathKey, TargetId = project.Id }),
            ],
            new Dictionary<string, string> { [pathKey] = ParameterNames.Path },
            cancellationToken);
    }

    public async Task<ProjectEntity> UpdateAsync(ProjectEntity project, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        cache.ForgetProject(project);
        var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(project, project.ETag, TableUpdateMode.Replace, cancellationToken));
        cache.ForgetProject(project); // and after, in case a read cached the old row meanwhile
        return project with { ETag = response.Headers.ETag ?? default };
    }

    // Paths hold only [a-z0-9_.-] and '/', which row keys forbid: ':' never occurs in a path, so the mapping is one-to-one.
    private static string PathKey(string pathWithNamespace) => "path|" + pathWithNamespace.ToLowerInvariant().Replace('/', ':');
}
