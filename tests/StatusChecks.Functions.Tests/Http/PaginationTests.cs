using System.Net;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class PaginationTests
{
    private static readonly Uri ListUrl = new("http://localhost:7071/api/v4/projects/1/external_status_checks");

    private static Dictionary<string, string> HeadersFor(int page, int perPage, long total, Uri? url = null) =>
        Pagination.Headers(url ?? ListUrl, page, perPage, total).ToDictionary(pair => pair.Key, pair => pair.Value);

    [Theory]
    [InlineData(1, 20, 0, "1", "", "")]
    [InlineData(1, 20, 20, "1", "", "")]
    [InlineData(1, 20, 21, "2", "2", "")]
    [InlineData(1, 20, 45, "3", "2", "")]
    [InlineData(2, 20, 45, "3", "3", "1")]
    [InlineData(3, 20, 45, "3", "", "2")]
    [InlineData(5, 20, 45, "3", "", "")] // past the end: Kaminari reports neither neighbour
    [InlineData(1, 100, 100, "1", "", "")]
    [InlineData(2, 3, 10, "4", "3", "1")]
    public void Headers_PageMath_MatchesGitLab(int page, int perPage, long total, string totalPages, string next, string prev)
    {
        var headers = HeadersFor(page, perPage, total);

        Assert.Equal(page.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["X-Page"]);
        Assert.Equal(perPage.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["X-Per-Page"]);
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["X-Total"]);
        Assert.Equal(totalPages, headers["X-Total-Pages"]);
        Assert.Equal(next, headers["X-Next-Page"]);
        Assert.Equal(prev, headers["X-Prev-Page"]);
    }

    [Fact]
    public void Headers_MiddlePage_LinksPrevNextFirstLastKeepingOtherParameters()
    {
        var url = new Uri($"{ListUrl}?search=a%20b&page=2&per_page=3&private_token=secret&access_token=other&x=1");

        var link = HeadersFor(2, 3, 10, url)["Link"];

        var bare = ListUrl.ToString();
        Assert.Equal(
            $"<{bare}?search=a%20b&x=1&page=1&per_page=3>; rel=\"prev\", " +
            $"<{bare}?search=a%20b&x=1&page=3&per_page=3>; rel=\"next\", " +
            $"<{bare}?search=a%20b&x=1&page=1&per_page=3>; rel=\"first\", " +
            $"<{bare}?search=a%20b&x=1&page=4&per_page=3>; rel=\"last\"",
            link);
    }

    [Fact]
    public void Headers_OnlyPage_LinksFirstAndLast()
    {
        var link = HeadersFor(1, 20, 5)["Link"];

        Assert.Equal(
            $"<{ListUrl}?page=1&per_page=20>; rel=\"first\", <{ListUrl}?page=1&per_page=20>; rel=\"last\"",
            link);
    }

    [Fact]
    public void Headers_TokenInQuery_IsNeverInLinks()
    {
        var url = new Uri($"{ListUrl}?private_token=glpat-secret&access_token=glpat-other");

        var link = HeadersFor(1, 1, 5, url)["Link"];

        Assert.DoesNotContain("glpat", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagedAsync_Page_WritesItemsAndHeaders()
    {
        var request = FakeHttpRequestData.Get($"{ListUrl}?page=2&per_page=2");
        var page = new Page<Item>([new(3, "c"), new(4, "d")], 2, 2, 5);

        var response = (FakeHttpResponseData)await request.PagedAsync(page, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""[{"id":3,"item_name":"c"},{"id":4,"item_name":"d"}]""", response.BodyText);
        Assert.Equal("3", response.Header("X-Total-Pages"));
        Assert.Equal("3", response.Header("X-Next-Page"));
        Assert.Equal("1", response.Header("X-Prev-Page"));
        Assert.Equal("5", response.Header("X-Total"));
        Assert.Contains("rel=\"last\"", response.Header("Link"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagedAsync_NoNextPage_SendsEmptyHeader()
    {
        var request = FakeHttpRequestData.Get(ListUrl.ToString());

        var response = (FakeHttpResponseData)await request.PagedAsync(new Page<Item>([], 1, 20, 0), CancellationToken.None);

        Assert.Equal("[]", response.BodyText);
        Assert.Equal(string.Empty, response.Header("X-Next-Page"));
        Assert.Equal(string.Empty, response.Header("X-Prev-Page"));
    }

    private sealed record Item(long Id, string ItemName);
}
