using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

// One store per aggregate. Every method is a point read, a single-partition query, or a single-partition
// transaction. Writes throw DuplicateKeyException (a unique value is taken) or ConcurrencyException (re-read
// and retry); storage failures surface as Azure.RequestFailedException.

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

internal interface IUserStore
{
    Task<UserEntity?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Duplicate fields: <c>username</c>, <c>email</c> (both case-insensitive).</summary>
    Task CreateAsync(UserEntity user, CancellationToken cancellationToken);

    /// <summary>Adds the row alone (no index rows) unless one with its id exists; returns the stored row.</summary>
    Task<UserEntity> GetOrAddAsync(UserEntity user, CancellationToken cancellationToken);

    Task<TokenEntity?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task CreateTokenAsync(string tokenHash, TokenEntity token, CancellationToken cancellationToken);
}

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

internal interface IProtectedBranchStore
{
    Task<IReadOnlyList<ProtectedBranchEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken);

    Task<Page<ProtectedBranchEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken);

    Task<ProtectedBranchEntity?> FindByNameAsync(long projectId, string name, CancellationToken cancellationToken);

    /// <summary>Duplicate field: <c>name</c> (exact).</summary>
    Task CreateAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken);

    Task DeleteAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken);
}

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

internal interface IMergeRequestStore
{
    Task<MergeRequestEntity?> GetAsync(long projectId, long iid, CancellationToken cancellationToken);

    /// <summary>
    /// Assigns the next per-project iid (dense from 1) in the same transaction as the insert;
    /// <paramref name="beforeCommit"/> sees the row (iid set) just before the transaction is submitted.
    /// </summary>
    Task<MergeRequestEntity> CreateAsync(MergeRequestEntity mergeRequest, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken cancellationToken);

    /// <summary>
    /// (bridge) Inserts an MR under the iid it has (GitLab's); the iid counter keeps the highest iid and marks the project's
    /// iids as possibly sparse. Duplicate field <c>iid</c> when that iid is taken.
    /// </summary>
    Task<MergeRequestEntity> CreateMirroredAsync(MergeRequestEntity mergeRequest, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken cancellationToken);

    /// <summary>ETag-checked.</summary>
    Task<MergeRequestEntity> UpdateAsync(MergeRequestEntity mergeRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the merged MR (ETag-checked) in one transaction with a check that its statuses at its sha are still
    /// <paramref name="statusesAsRead"/> (issue 12 item 4): ConcurrencyException when the MR or any status changed.
    /// </summary>
    Task<MergeRequestEntity> MergeAsync(MergeRequestEntity merged, MergeRequestStatuses statusesAsRead, CancellationToken cancellationToken);

    Task<IReadOnlyList<MergeRequestEntity>> ListOpenAsync(long projectId, CancellationToken cancellationToken);

    /// <summary>
    /// One page in iid order (<paramref name="descending"/>: newest first). Null filters match every MR. Unfiltered, the
    /// total is the last iid (iids are dense) and the page is one key range, unless the project has mirrored MRs; filtered, a key-only query counts the
    /// matches and a second query reads the page's rows.
    /// </summary>
    Task<Page<MergeRequestEntity>> ListAsync(
        long projectId, string? state, string? targetBranch, string? sourceBranch, bool descending, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>
/// An MR's statuses at one sha, read together in one query: the newest response and the latest reset of each check,
/// and the ETag of the version row every response and reset rewrites (null: none yet), which a merge commits against.
/// </summary>
internal sealed record MergeRequestStatuses(
    long ProjectId,
    long Iid,
    string Sha,
    IReadOnlyDictionary<long, CheckResponseEntity> Latest,
    IReadOnlyDictionary<long, CheckResetEntity> Resets,
    Azure.ETag? Version)
{
    public static MergeRequestStatuses None(long projectId, long iid, string sha) =>
        new(projectId, iid, sha, new Dictionary<long, CheckResponseEntity>(), new Dictionary<long, CheckResetEntity>(), null);

    /// <summary>These statuses with <paramref name="response"/> just recorded: the check's newest.</summary>
    public MergeRequestStatuses With(CheckResponseEntity response) =>
        this with { Latest = new Dictionary<long, CheckResponseEntity>(Latest) { [response.CheckId] = response } };
}

internal interface ICheckResponseStore
{
    /// <summary>The MR's statuses at <paramref name="sha"/>: one single-partition range query.</summary>
    Task<MergeRequestStatuses> ReadAsync(long projectId, long iid, string sha, CancellationToken cancellationToken);

    /// <summary>
    /// Records a response in one transaction: its history row, the check's newest row (replaced unconditionally: the
    /// last response recorded is the check's status, as GitLab's is its last inserted row) and the version row.
    /// </summary>
    Task AddAsync(CheckResponseEntity response, CancellationToken cancellationToken);

    /// <summary>Records that a check restarts as pending on an MR at the reset's sha (the latest reset per check wins).</summary>
    Task ResetAsync(long projectId, long iid, CheckResetEntity reset, CancellationToken cancellationToken);
}
