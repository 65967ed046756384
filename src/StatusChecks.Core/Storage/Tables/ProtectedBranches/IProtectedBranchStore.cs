using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal interface IProtectedBranchStore
{
    Task<IReadOnlyList<ProtectedBranchEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken);

    Task<Page<ProtectedBranchEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken);

    Task<ProtectedBranchEntity?> FindByNameAsync(long projectId, string name, CancellationToken cancellationToken);

    /// <summary>Duplicate field: <c>name</c> (exact).</summary>
    Task CreateAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken);

    Task DeleteAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken);
}
