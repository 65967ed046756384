using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal interface IMemberStore
{
    Task<MemberEntity?> GetAsync(long projectId, long userId, CancellationToken cancellationToken);

    Task<Page<MemberEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>ETag-checked against the member as read.</summary>
    Task<MemberEntity> UpdateAsync(MemberEntity member, CancellationToken cancellationToken);

    /// <summary>Duplicate field: <c>user_id</c>.</summary>
    Task AddAsync(MemberEntity member, CancellationToken cancellationToken);

    /// <summary>ETag-checked against the member as read.</summary>
    Task RemoveAsync(MemberEntity member, CancellationToken cancellationToken);
}
