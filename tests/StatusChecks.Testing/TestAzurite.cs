using StatusChecks.LocalHost;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Storage;

namespace StatusChecks.Testing;

/// <summary>
/// The local host's <see cref="Azurite"/> for a test or benchmark of its own: free loopback ports and a temporary data
/// folder (deleted on dispose), so tests never share state with a developer's instance or with each other.
/// </summary>
public static class TestAzurite
{
    private const int Attempts = 3;

    public static async Task<Azurite> StartAsync()
    {
        var executable = await NodeTools.EnsureInstalledAsync(RepositoryPaths.Root, "azurite");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Azurite.StartAsync(
                    executable,
                    Path.Combine(Path.GetTempPath(), "statuschecks-azurite-" + Guid.NewGuid().ToString("N")),
                    new AzuritePorts(LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next()),
                    deleteLocation: true);
            }
            catch (LocalHostException exception) when (attempt < Attempts && exception.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process bound one of the ports between the probe and Azurite's start: take other ports.
            }
        }
    }
}
