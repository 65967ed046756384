using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

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
