using System.Globalization;
using System.Text.Json;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Bridge;

/// <summary>
/// What the mirror takes from GitLab's Merge Request Hook (webhook events documentation, "Merge request events"):
/// <c>project.id</c>, and from <c>object_attributes</c> <c>iid</c>, <c>action</c>, <c>state</c>, <c>title</c>,
/// <c>description</c>, <c>source_branch</c>, <c>target_branch</c>, <c>last_commit.id</c> and <c>updated_at</c>.
/// </summary>
internal sealed record GitLabMergeRequestHook(
    long GitLabProjectId,
    long Iid,
    string? Action,
    string State,
    string Title,
    string? Description,
    string SourceBranch,
    string TargetBranch,
    string Sha,
    DateTimeOffset UpdatedAt)
{
    public const string EventName = "Merge Request Hook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The <c>project.id</c> of any hook body, or null when there is none (not JSON, not an object, no number).</summary>
    public static long? ProjectId(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("project", out var project)
                   && project.ValueKind == JsonValueKind.Object
                   && project.TryGetProperty("id", out var id)
                   && id.ValueKind == JsonValueKind.Number
                   && id.TryGetInt64(out var value)
                   && value > 0
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a Merge Request Hook. Throws <see cref="FormatException"/> naming the first field that is missing or has a
    /// value the mirror cannot take (e.g. a commit id that is not 40 hex digits). A description longer than the service
    /// keeps (<see cref="Rules.MaxDescriptionLength"/>) is cut to that length.
    /// </summary>
    public static GitLabMergeRequestHook Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            throw new FormatException("the body is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "object_kind") != "merge_request")
            {
                throw new FormatException("object_kind is not merge_request");
            }

            var project = Object(root, "project", "project");
            var attributes = Object(root, "object_attributes", "object_attributes");
            var lastCommit = Object(attributes, "last_commit", "object_attributes.last_commit");
            var state = Text(attributes, "state") ?? throw Missing("object_attributes.state");
            if (state is not (MergeRequestStates.Opened or MergeRequestStates.Closed or MergeRequestStates.Merged or MergeRequestStates.Locked))
            {
                throw new FormatException("object_attributes.state is not opened, closed, merged or locked");
            }

            var sha = Text(lastCommit, "id") ?? throw Missing("object_attributes.last_commit.id");
            if (sha.Length != 40 || !sha.All(char.IsAsciiHexDigit))
            {
                throw new FormatException("object_attributes.last_commit.id is not a commit id");
            }

            var description = Text(attributes, "description");
            return new GitLabMergeRequestHook(
                PositiveId(project, "id", "project.id"),
                PositiveId(attributes, "iid", "object_attributes.iid"),
                Text(attributes, "action"),
                state == MergeRequestStates.Locked ? MergeRequestStates.Opened : state, // locked: an open MR while it merges
                Text(attributes, "title") ?? throw Missing("object_attributes.title"),
                description is { Length: > Rules.MaxDescriptionLength } ? description[..Rules.MaxDescriptionLength] : description,
                Text(attributes, "source_branch") ?? throw Missing("object_attributes.source_branch"),
                Text(attributes, "target_branch") ?? throw Missing("object_attributes.target_branch"),
                sha.ToLowerInvariant(),
                Time(Text(attributes, "updated_at") ?? throw Missing("object_attributes.updated_at"), "object_attributes.updated_at"));
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GitLabMergeRequestHook FromJson(string json) =>
        JsonSerializer.Deserialize<GitLabMergeRequestHook>(json, Json) ?? throw new FormatException("The stored hook is empty.");

    /// <summary>GitLab's hook time (<c>2013-12-03 17:23:34 UTC</c>) or ISO 8601 (<c>2013-12-03T17:23:34Z</c>, as in its documentation).</summary>
    internal static DateTimeOffset Time(string text, string field)
    {
        if (text.EndsWith(" UTC", StringComparison.Ordinal)
            && DateTimeOffset.TryParseExact(text[..^4], ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var hook))
        {
            return hook.ToUniversalTime();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)
            ? iso.ToUniversalTime()
            : throw new FormatException($"{field} is not a time");
    }

    private static JsonElement Object(JsonElement parent, string name, string field) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : throw Missing(field);

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long PositiveId(JsonElement parent, string name, string field) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id > 0
            ? id
            : throw Missing(field);

    private static FormatException Missing(string field) => new($"{field} is missing");
}
