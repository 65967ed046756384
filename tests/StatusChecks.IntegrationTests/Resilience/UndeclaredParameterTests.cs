using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// Parameters a route does not declare, among them ones that try to set what only the service decides (ids, the
/// project, admin, timestamps): GitLab drops them (Grape's declared_params), so the request succeeds as if they
/// had not been sent. Each write gets unique names so the cases do not collide; the world is this class's own.
/// </summary>
public sealed class UndeclaredParameterTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (route, parameter, value) in HostileCases.UndeclaredExtras)
        {
            data.Add($"{route.Method} {route.Path}", parameter, value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Write_WithUndeclaredParameter_SucceedsAndIgnoresIt(string routeKey, string parameter, string rawValue)
    {
        var route = HostileCases.Routes.Single(r => $"{r.Method} {r.Path}" == routeKey);
        var unique = "undeclared-" + Guid.NewGuid().ToString("N")[..8];
        var body = world.Resolve(HostileCases.WithExtra(route, parameter, rawValue)).Replace("hostile-new", unique, StringComparison.Ordinal)
            .Replace("\"topic\"", $"\"{unique}\"", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), world.Resolve(route.Path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var (status, _, response) = await GitLabApi.CallAsync(world.Client(route.Allowed), request);
        var text = response.Text;

        Assert.True((int)status is >= 200 and <= 299, $"{routeKey} with {parameter}: expected 2xx, got {(int)status} {text}");
        if (text.Length > 0 && JsonNode.Parse(text) is JsonObject answer)
        {
            var injected = JsonNode.Parse(world.Resolve(rawValue));
            foreach (var (key, value) in answer)
            {
                Assert.False(
                    string.Equals(key, parameter, StringComparison.OrdinalIgnoreCase) && JsonNode.DeepEquals(value, injected),
                    $"{routeKey}: the undeclared {parameter}={rawValue} was applied: {text}");
            }

            if (answer["project_id"] is { } projectId)
            {
                Assert.Equal(world.Resolve("{A}"), projectId.ToJsonString());
            }
        }
    }

    [Theory]
    [InlineData("project", "?sudo=root")]
    [InlineData("external_status_checks", "?id={B}")]
    [InlineData("members", "?%24filter=PartitionKey%20ne%20%27%27")]
    public async Task Read_WithUndeclaredQueryParameter_AnswersAsWithout(string routeName, string query)
    {
        var route = HostileCases.Routes.Single(r => r.Name == routeName && r.Method == "GET");
        var client = world.Client(route.Allowed);

        var plain = await client.GetStringAsync(world.Resolve(route.Path));
        using var extra = await client.GetAsync(world.Resolve(route.Path + query));

        Assert.Equal(HttpStatusCode.OK, extra.StatusCode);
        Assert.Equal(plain, await extra.Content.ReadAsStringAsync());
    }
}
