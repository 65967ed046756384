
namespace StatusChecks.Core.Storage.Tables;

internal interface IProjectStore
{
    Task<ProjectEntity?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Case-insensitive, by <c>namespace/path</c>.</summary>
    Task<ProjectEntity?> FindByPathAsync(string pathWithNamespace, CancellationToken cancellationToken);

    /// <summary>Duplicate field: <c>path</c>.</summary>
    Task CreateAsync(ProjectEntity project, CancellationToken cancellationToken);

    /// <summary>ETag-checked.</summary>
    Task<ProjectEntity> UpdateAsync(ProjectEntity project, CancellationToken cancellationToken);
}
