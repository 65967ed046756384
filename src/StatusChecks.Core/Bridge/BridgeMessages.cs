using System.Text.Json;

namespace StatusChecks.Core.Bridge;

/// <summary>The bridge's queues (3-63 lower-case letters, digits and dashes).</summary>
public static class BridgeQueueNames
{
    /// <summary>One message per received GitLab event (mirror it).</summary>
    public const string Events = "gitlab-events";

    /// <summary>Evaluate an MR's commit status, or post it to GitLab (one attempt).</summary>
    public const string Statuses = "gitlab-statuses";
}

/// <summary>A stored GitLab event to mirror.</summary>
public sealed record GitLabEventMessage(long ProjectId, string EventUuid);

/// <summary>
/// <see cref="Evaluate"/>: work out the commit status(es) of MR <see cref="Iid"/> (0: every open MR of the project).
/// <see cref="Send"/>: attempt <see cref="Attempt"/> to post <see cref="Version"/> (or the newer desired state).
/// </summary>
public sealed record CommitStatusMessage(string Kind, long ProjectId, long Iid, long Version = 0, int Attempt = 0)
{
    public const string Evaluate = "evaluate";
    public const string Send = "send";
}

public static class BridgeMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Encode(GitLabEventMessage message) => JsonSerializer.Serialize(message, Json);

    public static string Encode(CommitStatusMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>Throws <see cref="FormatException"/> for anything but a complete message.</summary>
    public static GitLabEventMessage DecodeEvent(string text) =>
        Deserialize<GitLabEventMessage>(text) is { ProjectId: > 0, EventUuid: { } uuid } message && Guid.TryParse(uuid, out _)
            ? message
            : throw new FormatException("The message is not a complete GitLab event message.");

    /// <summary>Throws <see cref="FormatException"/> for anything but a complete message.</summary>
    public static CommitStatusMessage DecodeStatus(string text) =>
        Deserialize<CommitStatusMessage>(text) is { ProjectId: > 0, Iid: >= 0 } message
        && (message is { Kind: CommitStatusMessage.Evaluate } || message is { Kind: CommitStatusMessage.Send, Iid: > 0, Version: > 0, Attempt: > 0 })
            ? message
            : throw new FormatException("The message is not a complete commit status message.");

    private static T? Deserialize<T>(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The message is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}).", e);
        }
    }
}
