using System.Diagnostics;
using System.Net;
using StatusChecks.Testing;

namespace StatusChecks.IntegrationTests.Platform;

/// <summary>Its own Azurite and host, because these tests take storage away.</summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private AzuriteInstance azurite = null!;
    private LocalHostInstance host = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteInstance.StartAsync();
        host = await LocalHostInstance.StartAsync(azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Health_StorageStoppedThenRestarted_Answers503QuicklyThenRecoversWithoutRestart()
    {
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);

        await azurite.StopAsync();
        var clock = Stopwatch.StartNew();
        using var down = await client.GetAsync("health");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("unreachable", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"The health check took {clock.Elapsed} with storage down.");

        await azurite.StartAgainAsync();
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
