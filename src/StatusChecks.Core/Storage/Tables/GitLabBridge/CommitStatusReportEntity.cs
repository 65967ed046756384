using StatusChecks.Core.Bridge;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The commit statuses an MR's HEAD should have in GitLab, one row per MR (keys: <see cref="Keys"/>). <see cref="Version"/> moves with every change; <see cref="SentVersion"/> is the last version that
/// reached GitLab. A send message names a version and sends the current desired state unless it was sent already, so
/// when several pile up only the latest is posted.
/// </summary>
internal sealed record CommitStatusReportEntity : Row
{
    public long ProjectId { get; set; }

    public long Iid { get; set; }

    public string Sha { get; set; } = "";

    public string Ref { get; set; } = "";

    /// <summary>JSON list of <see cref="DesiredCommitStatus"/>.</summary>
    public string Statuses { get; set; } = "[]";

    public long Version { get; set; }

    public long SentVersion { get; set; }

    /// <summary>JSON list of what <see cref="SentVersion"/> posted (same sha: unchanged statuses are not posted again).</summary>
    public string SentStatuses { get; set; } = "[]";

    public string SentSha { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
