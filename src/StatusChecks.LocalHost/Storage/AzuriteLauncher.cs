using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Storage;

/// <summary>
/// Starts <see cref="Azurite"/> from the repository's node_modules on its development ports when the app uses
/// development storage, or reuses one that already listens; stops the one it started when the host stops.
/// </summary>
internal sealed class AzuriteLauncher(LocalHostContext context, ILogger<AzuriteLauncher> logger) : IHostedService
{
    private Azurite? azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!context.StartsAzurite)
        {
            logger.LogInformation("AzureWebJobsStorage points at a storage account; Azurite is not started");
            return;
        }

        var listening = await Azurite.ListeningAsync(AzuritePorts.Development, cancellationToken);
        if (listening.Count > 0)
        {
            logger.LogInformation("A storage emulator already listens on 127.0.0.1 port(s) {Ports}; reusing it", string.Join(", ", listening));
            return;
        }

        var executable = await NodeTools.EnsureInstalledAsync(context.Options.RepositoryRoot, "azurite", logger);
        var location = Path.Combine(context.Options.LocalStateDirectory, "azurite");
        azurite = await Azurite.StartAsync(executable, location, AzuritePorts.Development, logger: logger, cancellationToken: cancellationToken);
        logger.LogInformation("Azurite started (pid {Pid}), data in {Location}", azurite.ProcessId, location);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (azurite is null)
        {
            return;
        }

        await azurite.DisposeAsync();
        logger.LogInformation("Azurite stopped");
        azurite = null;
    }
}
