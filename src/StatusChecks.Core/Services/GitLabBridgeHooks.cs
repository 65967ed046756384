using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>
/// (bridge) Where the domain says that the check results of a linked project's MR may have changed, so the GitLab
/// bridge reports them back (docs/API.md (The GitLab bridge)). Called after the write; a project without a link costs nothing.
/// </summary>
internal interface IGitLabBridgeHooks
{
    /// <summary>A response, a retry, a mirrored MR change: the MR's HEAD status may have changed.</summary>
    Task MergeRequestChangedAsync(ProjectEntity project, long iid, CancellationToken cancellationToken);

    /// <summary>A check was added, changed or removed: every open MR of the project may have changed.</summary>
    Task ChecksChangedAsync(ProjectEntity project, CancellationToken cancellationToken);
}

/// <summary>Without the bridge registered: nothing to report.</summary>
internal sealed class NoGitLabBridgeHooks : IGitLabBridgeHooks
{
    public static readonly NoGitLabBridgeHooks Instance = new();

    public Task MergeRequestChangedAsync(ProjectEntity project, long iid, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ChecksChangedAsync(ProjectEntity project, CancellationToken cancellationToken) => Task.CompletedTask;
}
