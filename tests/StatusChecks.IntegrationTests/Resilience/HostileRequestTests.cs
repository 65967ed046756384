using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// Every hostile request of <see cref="HostileCases"/> against the real service: a GitLab-shaped 4xx (never 5xx),
/// and not one stored row changed (see <see cref="StoreSnapshot"/> for what is compared and why Ids is not).
/// Each case prints its answer and the per-status tally so far; the last one to run prints the SUMMARY of all cases.
/// </summary>
public sealed class HostileRequestTests(HostileWorld world, ITestOutputHelper output) : IClassFixture<HostileWorld>
{
    public static IEnumerable<object[]> Cases => HostileCases.Ids;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_Hostile_AnswersGitLab4xxAndStoresNothing(string id)
    {
        var hostile = HostileCases.All[id];
        var before = world.Last ?? await StoreSnapshot.TakeAsync(world.Tables);
        world.Last = null; // if this case throws half-way, the next one takes a fresh snapshot

        var (status, mediaType, text) = await SendAsync(hostile);
        var after = await StoreSnapshot.TakeAsync(world.Tables);
        world.Last = after;

        output.WriteLine($"{(int)status} {Shorten(text)}");
        var (counted, tally) = world.Count(status);
        output.WriteLine(counted == HostileCases.All.Count ? $"SUMMARY, all {counted} hostile requests by status: {tally}" : $"tally after {counted} cases: {tally}");
        Assert.True((int)status is >= 400 and < 500, $"{id}: expected a 4xx, got {(int)status} {text}");
        if (hostile.Status is { } expected)
        {
            Assert.True((int)status == expected, $"{id}: expected {expected}, got {(int)status} {text}");
        }

        if (!hostile.Transport)
        {
            Assert.Equal("application/json", mediaType);
            var body = Assert.IsType<JsonObject>(JsonNode.Parse(text));
            Assert.True(body.ContainsKey("message") || body.ContainsKey("error"), $"{id}: no message or error in {text}");
            if (hostile.Json is { } json)
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(world.Resolve(json)), body), $"{id}: expected {json}, got {text}");
            }
        }

        var changes = after.DifferencesFrom(before);
        Assert.True(changes.Length == 0, $"{id} changed stored data:{Environment.NewLine}{changes}");
        output.WriteLine($"store unchanged: {after.Count} rows compared ({after.Summary}; Ids excluded)");
    }

    private async Task<(HttpStatusCode Status, string? MediaType, string Text)> SendAsync(HostileCase hostile)
    {
        // The path goes out byte for byte: no client-side dot-segment removal or re-encoding.
        var uri = new Uri(world.Host.BaseAddress + world.Resolve(hostile.RequestPath), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), uri) { Content = Content(hostile.Body) };
        foreach (var (name, value) in hostile.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await GitLabApi.CallAsync(world.Client(hostile.Token), request);
        return (response.Status, response.MediaType, response.Text);
    }

    private HttpContent? Content(CaseBody? body)
    {
        if (body is null)
        {
            return null;
        }

        var bytes = body.Bytes ?? Encoding.UTF8.GetBytes(world.Resolve(body.Text!));
        HttpContent content = body.Chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        if (body.ContentType is { } contentType)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;

    /// <summary>A body whose length is unknown up front, so it goes out chunked (no Content-Length to refuse early).</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The case table itself: large enough, every route and category covered, ids unique. No service needed.</summary>
public sealed class HostileCaseTableTests(ITestOutputHelper output)
{
    [Fact]
    public void Cases_Table_CoversEveryRouteAndCategoryWithAtLeast200Cases()
    {
        var cases = HostileCases.All.Values.ToList();
        foreach (var group in cases.GroupBy(c => c.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key,-14} {group.Count(),4}");
        }

        output.WriteLine($"{"total",-14} {cases.Count,4}");
        Assert.True(cases.Count >= 200, $"only {cases.Count} cases");
        foreach (var route in HostileCases.Routes)
        {
            Assert.True(cases.Count(c => c.Route == route) >= 8, $"{route.Method} {route.Path} has fewer than 8 cases");
        }

        Assert.Equal(
            ["auth", "content-type", "duplicate", "ids", "json", "odata", "path", "role", "size", "state", "types", "unicode", "url"],
            cases.Select(c => c.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(cases.Where(c => c.Body?.Text is not null), c => Assert.DoesNotContain("__raw__", c.Body!.Text, StringComparison.Ordinal));
    }
}
