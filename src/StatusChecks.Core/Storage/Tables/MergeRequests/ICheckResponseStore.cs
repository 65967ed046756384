namespace StatusChecks.Core.Storage.Tables;

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
