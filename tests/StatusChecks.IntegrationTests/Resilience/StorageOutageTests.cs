using System.Diagnostics;
using System.Net;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>A service of its own, because these tests take storage away.</summary>
public sealed class StorageOutageTests : IsolatedService
{
    [Fact]
    public async Task Health_StorageStoppedThenRestarted_Answers503QuicklyThenRecoversWithoutRestart()
    {
        using var client = Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);

        await Azurite.StopAsync();
        var clock = Stopwatch.StartNew();
        using var down = await client.GetAsync("health");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("unreachable", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"The health check took {clock.Elapsed} with storage down.");

        await Azurite.StartAgainAsync();
        var recovered = await Eventually.GetAsync(
            async () =>
            {
                var response = await client.GetAsync("health");
                return response.StatusCode == HttpStatusCode.OK ? response : null;
            },
            TimeSpan.FromSeconds(30),
            "health to recover");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }
}
