using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal interface IStatusCheckStore
{
    Task<IReadOnlyList<StatusCheckEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken);

    Task<Page<StatusCheckEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken);

    Task<StatusCheckEntity?> GetAsync(long projectId, long checkId, CancellationToken cancellationToken);

    /// <summary>The check, its name and URL index rows, the count and the audit row in one transaction. Duplicate fields: <c>name</c>, <c>external_url</c>.</summary>
    Task CreateAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken);

    /// <summary>ETag-checked against <paramref name="current"/>; moves index rows when name or URL change.</summary>
    Task<StatusCheckEntity> UpdateAsync(StatusCheckEntity current, StatusCheckEntity updated, AuditEntity audit, CancellationToken cancellationToken);

    Task DeleteAsync(StatusCheckEntity check, AuditEntity audit, CancellationToken cancellationToken);
}
