namespace StatusChecks.Core.Storage.Tables;

/// <summary>One attempt of one commit status post, in the project's post log, newest first (keys: <see cref="Keys"/>).</summary>
internal sealed record CommitStatusAttemptEntity : Row
{
    public long Iid { get; set; }

    public string Sha { get; set; } = "";

    public string Name { get; set; } = "";

    public string State { get; set; } = "";

    public long Version { get; set; }

    public int Attempt { get; set; }

    public string Trigger { get; set; } = "";

    public string Status { get; set; } = "";

    public int? ResponseCode { get; set; }

    public long DurationMs { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset At { get; set; }
}
