using System.Text.RegularExpressions;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Http;

/// <summary>
/// Route parameters arrive as strings. A value that cannot name anything is answered like a thing that does not
/// exist, 404 <c>{"message":"404 {Thing} Not Found"}</c>, so garbage and absent look the same.
/// </summary>
public static partial class RouteValues
{
    /// <summary>A positive 64-bit id, e.g. <c>RouteValues.Id(check_id, ResourceNames.ExternalStatusCheck)</c>.</summary>
    public static long Id(string? value, string thing) =>
        PositiveId.TryParse(value, out var id) ? id : throw new ApiRequestException(ApiError.NotFound(thing));

    /// <summary>A positive 64-bit id of a record GitLab answers <c>404 Not found</c> for (a member's user id, a check, the MR of a status-check route).</summary>
    public static long RecordId(string? value) =>
        PositiveId.TryParse(value, out var id) ? id : throw new ApiRequestException(ApiError.RecordNotFound);

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

    /// <summary>The project id or path (<see cref="ProjectRef.TryParse"/>); one that cannot name a project is 404 Project Not Found.</summary>
    public static ProjectRef Project(string? value) =>
        ProjectRef.TryParse(value, out var project) ? project : throw new ApiRequestException(ApiError.NotFound(ResourceNames.Project));
}
