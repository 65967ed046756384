namespace StatusChecks.Core.Bridge;

internal static class GitLabEventStatuses
{
    public const string Received = "received";
    public const string Mirrored = "mirrored";
    public const string Stale = "stale";
    public const string Ignored = "ignored";
}
