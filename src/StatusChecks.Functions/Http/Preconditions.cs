using System.Globalization;
using Microsoft.Azure.Functions.Worker.Http;

namespace StatusChecks.Functions.Http;

/// <summary>Conditional request headers, read as GitLab reads them.</summary>
public static class Preconditions
{
    /// <summary>
    /// The <c>If-Unmodified-Since</c> time, or null when absent or unreadable: GitLab parses it leniently (HTTP date
    /// or ISO 8601) and ignores a value it cannot parse. A time without a zone is UTC.
    /// </summary>
    public static DateTimeOffset? IfUnmodifiedSince(HttpRequestData request) =>
        request.Headers.TryGetValues("If-Unmodified-Since", out var values)
        && values.FirstOrDefault() is { } value
        && DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var since)
            ? since
            : null;
}
