using System.Globalization;
using System.Text.RegularExpressions;

namespace StatusChecks.Functions.Http;

/// <summary>
/// A project as the route names it (GitLab's <c>:id</c>): a numeric id, or a full path such as
/// <c>group/sub/project</c> sent URL-encoded (<c>group%2Fsub%2Fproject</c>).
/// </summary>
public sealed record ProjectRef(long? Id, string? Path)
{
    public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? Path ?? string.Empty;
}

/// <summary>
/// Route parameters arrive as strings. A value that cannot name anything is answered like a thing that does not
/// exist, 404 <c>{"message":"404 {Thing} Not Found"}</c>, so garbage and absent look the same.
/// </summary>
public static partial class RouteValues
{
    /// <summary>A positive 64-bit id, e.g. <c>RouteValues.Id(check_id, "External Status Check")</c>.</summary>
    public static long Id(string? value, string thing) =>
        TryParseId(value, out var id) ? id : throw new ApiRequestException(ApiError.NotFound(thing));

    /// <summary>A positive 64-bit id of a record GitLab answers <c>404 Not found</c> for (a member's user id, a check, the MR of a status-check route).</summary>
    public static long RecordId(string? value) =>
        TryParseId(value, out var id) ? id : throw new ApiRequestException(ApiError.RecordNotFound);

    /// <summary>
    /// A free-text route value that ends the path (a protected branch name such as <c>release%2F*</c>), decoded exactly
    /// once. Hosts route on a path in which every escape but <c>%2F</c> is already decoded (Kestrel turns <c>%25</c> into
    /// '%'), so decoding the route value again would decode twice: <c>feat%2541</c> must name <c>feat%41</c>, not
    /// <c>featA</c>. The request URL keeps the client's encoding, so its last segment is decoded instead; when that
    /// segment is not what the route value came from (a host that passes a decoded URL), the route value is.
    /// </summary>
    public static string LastSegment(Uri url, string routeValue)
    {
        var path = url.OriginalString;
        var end = path.IndexOfAny(['?', '#']);
        path = end < 0 ? path : path[..end];
        var raw = path[(path.LastIndexOf('/') + 1)..];
        return DecodeAllButSlash(raw) == routeValue ? Uri.UnescapeDataString(raw) : Uri.UnescapeDataString(routeValue);
    }

    /// <summary>What routing makes of a raw segment: every escape decoded except <c>%2F</c>, which stays as written.</summary>
    private static string DecodeAllButSlash(string raw) =>
        string.Concat(EncodedSlash().Split(raw).Select((part, i) => i % 2 == 1 ? part : Uri.UnescapeDataString(part)));

    [GeneratedRegex("(%2[Ff])")]
    private static partial Regex EncodedSlash();

    /// <summary>
    /// The project id or path. The path is decoded once (<c>%2F</c> is '/'); empty, "." and ".." segments, control
    /// characters and a '%' left after decoding are refused as 404 Project Not Found. No project path contains '%',
    /// and passing one on would let the domain decode it again (<c>%25252F</c> naming <c>a/b</c>).
    /// </summary>
    public static ProjectRef Project(string? value)
    {
        if (TryParseId(value, out var id))
        {
            return new ProjectRef(id, null);
        }

        var path = string.IsNullOrEmpty(value) || value.All(char.IsAsciiDigit) ? null : Uri.UnescapeDataString(value);
        return path is not null && !path.Any(char.IsControl) && !path.Contains('%', StringComparison.Ordinal) && path.Split('/').All(IsSegment)
            ? new ProjectRef(null, path)
            : throw new ApiRequestException(ApiError.NotFound("Project"));
    }

    private static bool TryParseId(string? value, out long id)
    {
        id = 0;
        return !string.IsNullOrEmpty(value)
            && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && id > 0;
    }

    private static bool IsSegment(string segment) => segment is not ("" or "." or "..");
}
