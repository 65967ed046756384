using System.Diagnostics.CodeAnalysis;

namespace StatusChecks.Core.Domain;

/// <summary>
/// A project as GitLab's <c>:id</c> names it: its numeric id, or its full path (<c>group/sub/project</c>, matched
/// case-insensitively), which the URL carries encoded (<c>group%2Fsub%2Fproject</c>). Parsed and validated once, at
/// the HTTP edge (<see cref="TryParse"/>); services and <c>ProjectAccess</c> take it as it is, never re-parsing or
/// decoding it again.
/// </summary>
public sealed record ProjectRef
{
    private ProjectRef(long? id, string? path)
    {
        Id = id;
        Path = path;
    }

    /// <summary>The numeric id, or null when the project is named by its path.</summary>
    public long? Id { get; }

    /// <summary>The decoded full path, or null when the project is named by its id.</summary>
    public string? Path { get; }

    /// <summary>The project with this id (positive).</summary>
    public static ProjectRef ById(long id) =>
        id > 0 ? new(id, null) : throw new ArgumentOutOfRangeException(nameof(id), id, "A project id is positive.");

    /// <summary>
    /// A route's <c>:id</c>: a positive id, or a path decoded once (<c>%2F</c> is '/'). Refused: empty, "." and ".."
    /// segments, control characters, and a '%' left after decoding (no project path contains '%', and passing one on
    /// would let a lookup decode it again: <c>%25252F</c> naming <c>a/b</c>).
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ProjectRef? project)
    {
        project = null;
        if (PositiveId.TryParse(value, out var id))
        {
            project = new(id, null);
            return true;
        }

        var path = string.IsNullOrEmpty(value) || value.All(char.IsAsciiDigit) ? null : Uri.UnescapeDataString(value);
        if (path is null || path.Any(char.IsControl) || path.Contains('%', StringComparison.Ordinal) || !path.Split('/').All(IsSegment))
        {
            return false;
        }

        project = new(null, path);
        return true;
    }

    private static bool IsSegment(string segment) => segment is not ("" or "." or "..");
}
