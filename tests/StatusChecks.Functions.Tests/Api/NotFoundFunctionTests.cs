using System.Net;
using StatusChecks.Functions.Api;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Api;

public class NotFoundFunctionTests
{
    [Theory]
    [InlineData("GET", "http://localhost/api/v4/nothing/here")]
    [InlineData("POST", "http://localhost/api/v4/projects/1/unknown?x=1")]
    [InlineData("DELETE", "http://localhost/api/v4")]
    public async Task Run_AnyUnroutedPath_IsGitLab404(string method, string url)
    {
        var request = new FakeHttpRequestData(new Uri(url), Stream.Null, method);

        var response = (FakeHttpResponseData)await NotFoundFunction.Run(request, CancellationToken.None);

        Assert.Equal((HttpStatusCode.NotFound, """{"error":"404 Not Found"}"""), (response.StatusCode, response.BodyText));
    }
}
