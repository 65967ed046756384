using System.Net;
using System.Text.Json;

namespace StatusChecks.IntegrationTests.Platform;

[Collection(ServiceCollection.Name)]
public sealed class HttpPlatformTests(ServiceFixture service)
{
    [Fact]
    public async Task Health_StorageReachable_Returns200WithJsonBody()
    {
        using var client = service.Host.CreateClient();

        using var response = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("storage").GetProperty("tables").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("storage").GetProperty("queues").GetString());
    }

    [Fact]
    public async Task Health_WrongMethod_Returns405()
    {
        using var client = service.Host.CreateClient();

        using var response = await client.DeleteAsync("health");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_OutsideApiPrefix_Returns404()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Host.Port}/") };

        using var response = await client.GetAsync("not-the-api/health");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Host_AdminTokenFromConfiguration_NeverPrinted()
    {
        Assert.Contains("Admin token: from configuration", service.Host.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Host.AdminToken, service.Host.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_StartedCold_ServesHealthWithinOneMinute()
    {
        Assert.True(service.Host.Startup < TimeSpan.FromSeconds(60), $"Startup took {service.Host.Startup}.");
    }
}
