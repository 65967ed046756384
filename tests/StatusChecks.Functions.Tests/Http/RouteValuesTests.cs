using System.Net;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class RouteValuesTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("42", 42L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Id_PositiveInteger_IsParsed(string value, long expected)
    {
        Assert.Equal(expected, RouteValues.Id(value, "External Status Check"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData(null)] // every value PositiveId refuses (Core's PositiveIdTests) is answered the same way
    public void Id_NotAPositiveInteger_IsNotFoundOfThatThing(string? value)
    {
        var error = Errors.Caught(() => RouteValues.Id(value, "Merge Request"));

        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Merge Request Not Found"}"""), error);
    }

    [Fact]
    public void Project_Numeric_IsId()
    {
        Assert.Equal(ProjectRef.ById(7), RouteValues.Project("7"));
    }

    [Theory]
    [InlineData("group%2Fproject", "group/project")]
    [InlineData("group%2fproject", "group/project")]
    [InlineData("group%2Fsub%2Fmy-project.v2", "group/sub/my-project.v2")]
    [InlineData("project", "project")]
    [InlineData("group%2F123", "group/123")]
    public void Project_EncodedPath_IsDecodedOnce(string value, string path)
    {
        var project = RouteValues.Project(value);

        Assert.Equal(((long?)null, path), (project.Id, project.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("group%2F..%2Fother")]
    [InlineData("..")]
    [InlineData("group%2F.%2Fproject")]
    [InlineData("group%2F%2Fproject")]
    [InlineData("%2Fproject")]
    [InlineData("group%2F")]
    [InlineData("group%2Fpro%00ject")]
    [InlineData("group%2Fpro%0Aject")]
    [InlineData("group%252Fproject")] // decoded once is "group%2Fproject": a second decode must not make it a path
    [InlineData("group%25")]
    public void Project_UnusablePath_IsProjectNotFound(string? value)
    {
        var error = Errors.Caught(() => RouteValues.Project(value));

        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Project Not Found"}"""), error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("1 or 1 eq 1")]
    [InlineData(null)]
    public void RecordId_NotAPositiveInteger_IsGitLabsGenericNotFound(string? value)
    {
        var error = Errors.Caught(() => RouteValues.RecordId(value));

        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Not found"}"""), error);
    }

    // Route values as the host's routing gives them: every escape decoded except %2F (Kestrel decodes %25 to '%').
    [Theory]
    [InlineData("main", "main", "main")]
    [InlineData("release%2F*", "release%2F*", "release/*")]
    [InlineData("release%2f%2A", "release%2f*", "release/*")]
    [InlineData("feat%2541", "feat%41", "feat%41")] // decoded exactly once: not featA
    [InlineData("feat%41", "featA", "featA")]
    [InlineData("main%252F..", "main%2F..", "main%2F..")]
    [InlineData("a%20b%2Bc%25d", "a b+c%d", "a b+c%d")]
    public void LastSegment_RawUrl_IsDecodedExactlyOnce(string raw, string routeValue, string expected)
    {
        var url = new Uri($"http://127.0.0.1:7071/api/v4/projects/7/protected_branches/{raw}?private_token=x", UriKind.Absolute);

        Assert.Equal(expected, RouteValues.LastSegment(url, routeValue));
    }

    [Theory]
    [InlineData("http://host/api/v4/projects/7/protected_branches/feat%41", "feat%41", "featA")] // URL already decoded by the host: best effort
    [InlineData("http://host/api/v4/projects/7/protected_branches/main/", "main", "main")] // trailing slash
    public void LastSegment_UrlNotWhatTheRouteValueCameFrom_DecodesTheRouteValue(string url, string routeValue, string expected)
    {
        Assert.Equal(expected, RouteValues.LastSegment(new Uri(url), routeValue));
    }
}
