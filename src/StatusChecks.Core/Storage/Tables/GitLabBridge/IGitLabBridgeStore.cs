using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>The bridge's rows (links, received events, desired commit statuses, the post log), all in table <c>GitLabBridge</c>.</summary>
internal interface IGitLabBridgeStore
{
    Task<GitLabLinkEntity?> GetLinkAsync(long projectId, CancellationToken cancellationToken);

    /// <summary>The links naming this GitLab project id (usually one; several GitLab instances may reuse an id).</summary>
    Task<IReadOnlyList<GitLabLinkIndexEntity>> FindLinksAsync(long gitLabProjectId, CancellationToken cancellationToken);

    /// <summary>Adds (no ETag) or replaces (ETag-checked) the link, writing its lookup row first; removes a stale one.</summary>
    Task<GitLabLinkEntity> SaveLinkAsync(GitLabLinkEntity link, GitLabLinkEntity? previous, CancellationToken cancellationToken);

    /// <summary>ETag-checked; then its lookup row.</summary>
    Task DeleteLinkAsync(GitLabLinkEntity link, CancellationToken cancellationToken);

    /// <summary>False when an event with this UUID is stored already.</summary>
    Task<bool> AddEventAsync(GitLabEventEntity gitLabEvent, CancellationToken cancellationToken);

    Task<GitLabEventEntity?> GetEventAsync(long projectId, string eventUuid, CancellationToken cancellationToken);

    Task UpdateEventAsync(GitLabEventEntity gitLabEvent, CancellationToken cancellationToken);

    Task<CommitStatusReportEntity?> GetReportAsync(long projectId, long iid, CancellationToken cancellationToken);

    /// <summary>Adds (no ETag) or replaces (ETag-checked); ConcurrencyException when it changed since it was read.</summary>
    Task<CommitStatusReportEntity> SaveReportAsync(CommitStatusReportEntity report, CancellationToken cancellationToken);

    Task AddAttemptAsync(long projectId, CommitStatusAttemptEntity attempt, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<Page<CommitStatusAttemptEntity>> ListAttemptsAsync(long projectId, PageRequest page, CancellationToken cancellationToken);
}
