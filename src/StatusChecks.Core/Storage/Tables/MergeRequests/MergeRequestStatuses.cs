
namespace StatusChecks.Core.Storage.Tables;

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
