using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Storage;

/// <summary>
/// Starts the Azurite storage emulator from the repository's node_modules when the app uses development storage,
/// or reuses one that already listens; stops the one it started when the host stops.
/// </summary>
internal sealed class AzuriteLauncher(LocalHostContext context, ILogger<AzuriteLauncher> logger) : IHostedService
{
    private static readonly int[] Ports = [10000, 10001, 10002]; // blob, queue, table: what UseDevelopmentStorage=true means
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Process? azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!context.StartsAzurite)
        {
            logger.LogInformation("AzureWebJobsStorage points at a storage account; Azurite is not started");
            return;
        }

        var listening = await ListeningPortsAsync(cancellationToken);
        if (listening.Count > 0)
        {
            logger.LogInformation("A storage emulator already listens on 127.0.0.1 port(s) {Ports}; reusing it", string.Join(", ", listening));
            return;
        }

        var root = context.Options.RepositoryRoot;
        var executable = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            await RestoreNodeModulesAsync(root, cancellationToken);
            if (!File.Exists(executable))
            {
                throw new LocalHostException($"Azurite is missing at {executable} even after 'npm ci' in {root}.");
            }
        }

        var location = Path.Combine(context.Options.LocalStateDirectory, "azurite");
        Directory.CreateDirectory(location);
        var startInfo = new ProcessStartInfo(executable) { WorkingDirectory = root };
        foreach (var argument in (string[])[
            "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--location", location])
        {
            startInfo.ArgumentList.Add(argument);
        }

        azurite = ChildProcesses.Start(startInfo, logger);
        await WaitUntilListeningAsync(azurite, cancellationToken);
        logger.LogInformation("Azurite started (pid {Pid}), data in {Location}", azurite.Id, location);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (azurite is null)
        {
            return;
        }

        ChildProcesses.KillTree(azurite);
        await azurite.WaitForExitAsync(cancellationToken);
        logger.LogInformation("Azurite stopped");
        azurite.Dispose();
        azurite = null;
    }

    private async Task RestoreNodeModulesAsync(string root, CancellationToken cancellationToken)
    {
        logger.LogInformation("node_modules is missing: running 'npm ci' in {Root}", root);
        using var npm = ChildProcesses.Start(new ProcessStartInfo("npm", "ci") { WorkingDirectory = root }, logger);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0)
        {
            throw new LocalHostException($"'npm ci' in {root} failed with exit code {npm.ExitCode}.");
        }
    }

    private static async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while ((await ListeningPortsAsync(cancellationToken)).Count < Ports.Length)
        {
            if (process.HasExited)
            {
                throw new LocalHostException($"Azurite exited with code {process.ExitCode} during start (see its output above).");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                ChildProcesses.KillTree(process);
                throw new LocalHostException($"Azurite did not listen on 127.0.0.1:{string.Join("/", Ports)} within {StartTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<List<int>> ListeningPortsAsync(CancellationToken cancellationToken)
    {
        var listening = new List<int>();
        foreach (var port in Ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                listening.Add(port);
            }
            catch (SocketException)
            {
                // Nothing listens there.
            }
        }

        return listening;
    }
}
