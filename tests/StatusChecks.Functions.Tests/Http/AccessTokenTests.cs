using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class AccessTokenTests
{
    private const string Url = "http://localhost/api/v4/projects/1";

    private static async Task<string?> TokenOf(FakeHttpRequestData request) =>
        (await ApiRequest.ReadAsync(request, [], CancellationToken.None)).Token;

    private static FakeHttpRequestData WithHeader(string name, string value, string url = Url)
    {
        var request = FakeHttpRequestData.Get(url);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Fact]
    public async Task Token_PrivateTokenHeader_IsReturned()
    {
        Assert.Equal("glpat-abc", await TokenOf(WithHeader("PRIVATE-TOKEN", "glpat-abc")));
    }

    [Fact]
    public async Task Token_LowerCaseHeaderName_IsReturned()
    {
        Assert.Equal("glpat-abc", await TokenOf(WithHeader("private-token", "glpat-abc")));
    }

    [Theory]
    [InlineData("Bearer glpat-abc")]
    [InlineData("bearer glpat-abc")]
    [InlineData("BEARER  glpat-abc ")]
    public async Task Token_BearerAuthorization_IsReturned(string authorization)
    {
        Assert.Equal("glpat-abc", await TokenOf(WithHeader("Authorization", authorization)));
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("glpat-abc")]
    public async Task Token_OtherAuthorization_IsNull(string authorization)
    {
        Assert.Null(await TokenOf(WithHeader("Authorization", authorization)));
    }

    [Theory]
    [InlineData("private_token=glpat-abc")]
    [InlineData("access_token=glpat-abc")]
    [InlineData("private_token=glpat%2Dabc")]
    public async Task Token_QueryParameter_IsReturned(string query)
    {
        Assert.Equal("glpat-abc", await TokenOf(FakeHttpRequestData.Get($"{Url}?{query}")));
    }

    [Fact]
    public async Task Token_FormParameter_IsReturned()
    {
        Assert.Equal("glpat-abc", await TokenOf(FakeHttpRequestData.Form("private_token=glpat-abc", Url)));
    }

    [Fact]
    public async Task Token_JsonParameter_IsReturned()
    {
        Assert.Equal("glpat-abc", await TokenOf(FakeHttpRequestData.Json("""{"private_token":"glpat-abc"}""", Url)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?private_token=")]
    [InlineData("?private_token=%20%20")]
    [InlineData("?private_token=a&private_token=b")] // ambiguous: no token rather than a guess
    [InlineData("?private_token[]=a")]
    public async Task Token_AbsentBlankOrAmbiguous_IsNull(string query)
    {
        Assert.Null(await TokenOf(FakeHttpRequestData.Get(Url + query)));
    }

    [Fact]
    public async Task Token_JsonNonString_IsNull()
    {
        Assert.Null(await TokenOf(FakeHttpRequestData.Json("""{"private_token":123}""", Url)));
    }

    [Fact]
    public async Task Token_SeveralPlaces_FollowsGitLabOrder()
    {
        var request = WithHeader("PRIVATE-TOKEN", "header", $"{Url}?private_token=param&access_token=oauth");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer bearer");
        Assert.Equal("param", await TokenOf(request));

        request = WithHeader("PRIVATE-TOKEN", "header", $"{Url}?access_token=oauth");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer bearer");
        Assert.Equal("header", await TokenOf(request));

        request = WithHeader("Authorization", "Bearer bearer", $"{Url}?access_token=oauth");
        Assert.Equal("oauth", await TokenOf(request));
    }

    [Fact]
    public async Task ToString_OfRequest_DoesNotContainToken()
    {
        var call = await ApiRequest.ReadAsync(WithHeader("PRIVATE-TOKEN", "glpat-secret"), [], CancellationToken.None);

        Assert.DoesNotContain("glpat-secret", call.ToString(), StringComparison.Ordinal);
    }
}
