namespace StatusChecks.Core.Storage.Tables;

/// <summary>One attempt of one commit status post, in the project's post log, newest first (keys: <see cref="Keys"/>).</summary>
internal sealed record CommitStatusAttemptEntity : AttemptRow
{
    public long Iid { get; set; }

    public string Sha { get; set; } = "";

    public string Name { get; set; } = "";

    public string State { get; set; } = "";

    public long Version { get; set; }
}
