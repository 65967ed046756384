using StatusChecks.LocalHost;
using StatusChecks.LocalHost.Storage;

namespace StatusChecks.Testing;

/// <summary>
/// The local host's <see cref="Azurite"/> for a test or benchmark of its own: free loopback ports and a temporary data
/// folder (deleted on dispose), so tests never share state with a developer's instance or with each other.
/// </summary>
public static class TestAzurite
{
    public static async Task<Azurite> StartAsync() =>
        await Azurite.StartAsync(
            await NodeTools.EnsureInstalledAsync(RepositoryPaths.Root, "azurite"),
            Path.Combine(Path.GetTempPath(), "statuschecks-azurite-" + Guid.NewGuid().ToString("N")),
            new AzuritePorts(FreePort.Next(), FreePort.Next(), FreePort.Next()),
            deleteLocation: true);
}
