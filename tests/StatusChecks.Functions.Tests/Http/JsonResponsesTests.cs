using System.Net;
using System.Text.Json;
using StatusChecks.Functions.Http;
using StatusChecks.Functions.Tests.TestDoubles;

namespace StatusChecks.Functions.Tests.Http;

public class JsonResponsesTests
{
    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonResponses.SerializerOptions);

    [Theory]
    [InlineData("2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00.000Z")]
    [InlineData("2026-11-25T12:00:00.1234567+02:00", "2026-11-25T10:00:00.123Z")]
    [InlineData("2026-11-25T23:30:00.999-05:00", "2026-11-26T04:30:00.999Z")]
    public void Serialize_Timestamp_IsUtcWithMilliseconds(string input, string expected)
    {
        var value = DateTimeOffset.Parse(input, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal($"\"{expected}\"", Serialize(value));
    }

    [Fact]
    public void Serialize_Record_IsSnakeCaseWithNullsWritten()
    {
        var json = Serialize(new Sample(1, "QA", null, null, new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), SampleState.ReadyToMerge));

        Assert.Equal(
            """{"id":1,"external_url":"QA","merged_at":null,"shared_secret":null,"created_at":"2026-11-25T10:00:00.000Z","state":"ready_to_merge"}""",
            json);
    }

    [Fact]
    public void Serialize_Text_KeepsNonAsciiButEscapesHtml()
    {
        Assert.Equal("\"Café ✓ \\u003Cb\\u003E\"", Serialize("Café ✓ <b>"));
    }

    [Fact]
    public async Task CreatedAsync_Body_Is201Json()
    {
        var request = FakeHttpRequestData.Get("http://localhost/api/v4/projects");

        var response = (FakeHttpResponseData)await request.CreatedAsync(new { Id = 5L, PathWithNamespace = "g/p" }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("""{"id":5,"path_with_namespace":"g/p"}""", response.BodyText);
    }

    [Fact]
    public async Task OkAsync_Body_Is200Json()
    {
        var response = (FakeHttpResponseData)await FakeHttpRequestData.Get("http://localhost/").OkAsync<int[]>([1, 2], CancellationToken.None);

        Assert.Equal((HttpStatusCode.OK, "[1,2]"), (response.StatusCode, response.BodyText));
    }

    [Fact]
    public async Task AcceptedAsync_Always_IsGitLabAcceptedBody()
    {
        var response = (FakeHttpResponseData)await FakeHttpRequestData.Get("http://localhost/").AcceptedAsync(CancellationToken.None);

        Assert.Equal((HttpStatusCode.Accepted, """{"message":"202 Accepted"}"""), (response.StatusCode, response.BodyText));
    }

    [Fact]
    public void NoContent_Always_Is204WithoutBody()
    {
        var response = (FakeHttpResponseData)FakeHttpRequestData.Get("http://localhost/").NoContent();

        Assert.Equal((HttpStatusCode.NoContent, string.Empty), (response.StatusCode, response.BodyText));
        Assert.Null(response.Header("Content-Type"));
    }

    private enum SampleState
    {
        ReadyToMerge,
    }

    private sealed record Sample(long Id, string ExternalUrl, DateTimeOffset? MergedAt, string? SharedSecret, DateTimeOffset CreatedAt, SampleState State);
}
