using System.Globalization;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Http;

/// <summary>GitLab's offset pagination headers (Gitlab::Pagination::OffsetHeaderBuilder over Kaminari).</summary>
public static class Pagination
{
    // Never echoed into links: a token in a URL ends up in proxy and browser logs.
    private static readonly HashSet<string> DroppedFromLinks =
        [ParameterNames.Page, ParameterNames.PerPage, ParameterNames.PrivateToken, ParameterNames.AccessToken];

    /// <summary>200 with the page's items as a JSON array, plus X-Page, X-Total, ..., Link.</summary>
    public static async Task<HttpResponseData> PagedAsync<T>(
        this HttpRequestData request, Page<T> page, CancellationToken cancellationToken)
    {
        var response = await request.OkAsync(page.Items, cancellationToken);
        foreach (var (name, value) in Headers(request.Url, page.PageNumber, page.PerPage, page.Total))
        {
            response.Headers.Add(name, value);
        }

        return response;
    }

    /// <summary>
    /// The headers for page <paramref name="page"/> of <paramref name="total"/> items. As Kaminari: at least one page;
    /// no next page on the last one, no previous page on the first one or past the end. Link URLs are absolute and
    /// keep the request's other query parameters.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Headers(Uri url, int page, int perPage, long total)
    {
        var totalPages = Math.Max(1, (total + perPage - 1) / perPage);
        long? next = page < totalPages ? page + 1L : null;
        long? prev = page > 1 && page <= totalPages ? page - 1L : null;

        var links = new List<string>(4);
        if (prev is { } p)
        {
            links.Add(Link(url, p, perPage, "prev"));
        }

        if (next is { } n)
        {
            links.Add(Link(url, n, perPage, "next"));
        }

        links.Add(Link(url, 1, perPage, "first"));
        links.Add(Link(url, totalPages, perPage, "last"));

        return
        [
            new("X-Page", Text(page)),
            new("X-Per-Page", Text(perPage)),
            new("X-Total", Text(total)),
            new("X-Total-Pages", Text(totalPages)),
            new("X-Next-Page", next is null ? string.Empty : Text(next.Value)),
            new("X-Prev-Page", prev is null ? string.Empty : Text(prev.Value)),
            new("Link", string.Join(", ", links)),
        ];
    }

    private static string Link(Uri url, long page, int perPage, string rel)
    {
        var href = new StringBuilder(url.GetLeftPart(UriPartial.Path)).Append('?');
        foreach (var pair in url.Query.TrimStart('?').Split('&'))
        {
            var name = Uri.UnescapeDataString(pair.Split('=')[0].Replace('+', ' '));
            if (pair.Length > 0 && !DroppedFromLinks.Contains(name))
            {
                href.Append(pair).Append('&'); // kept exactly as the client encoded it
            }
        }

        href.Append("page=").Append(Text(page)).Append("&per_page=").Append(Text(perPage));
        return $"<{href}>; rel=\"{rel}\"";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
