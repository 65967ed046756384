using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Storage;

/// <summary>Azurite's blob, queue and table ports.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>What <c>UseDevelopmentStorage=true</c> means.</summary>
    public static AzuritePorts Development { get; } = new(10000, 10001, 10002);

    public IReadOnlyList<int> All => [Blob, Queue, Table];
}

/// <summary>
/// The one way Azurite is run, by the host (development storage, data under .local) and by the tests and benchmarks
/// (free ports, a data folder of their own): the repository's pinned npm package on 127.0.0.1, waited for until all
/// three services listen. It can be stopped and started again on the same ports and data (a storage outage).
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account: public, documented, accepted only by the emulator.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string executable;
    private readonly bool deleteLocation;
    private readonly ILogger? logger;
    private ChildProcess? process;

    private Azurite(string executable, string location, AzuritePorts ports, bool deleteLocation, ILogger? logger)
    {
        this.executable = executable;
        Location = location;
        Ports = ports;
        this.deleteLocation = deleteLocation;
        this.logger = logger;
    }

    public AzuritePorts Ports { get; }

    public int BlobPort => Ports.Blob;

    public int QueuePort => Ports.Queue;

    public int TablePort => Ports.Table;

    /// <summary>The data folder.</summary>
    public string Location { get; }

    /// <summary>The process while it runs.</summary>
    public int? ProcessId => process?.Id;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <param name="executable">node_modules/.bin/azurite (see <see cref="NodeTools"/>).</param>
    /// <param name="deleteLocation">Delete the data folder on dispose (a test's own storage).</param>
    /// <param name="logger">Where Azurite's output goes; null keeps it for the failure message.</param>
    public static async Task<Azurite> StartAsync(
        string executable, string location, AzuritePorts ports, bool deleteLocation = false, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var azurite = new Azurite(executable, location, ports, deleteLocation, logger);
        try
        {
            await azurite.StartAgainAsync(cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>The ports among <paramref name="ports"/> something listens on now (127.0.0.1).</summary>
    public static async Task<IReadOnlyList<int>> ListeningAsync(AzuritePorts ports, CancellationToken cancellationToken = default)
    {
        var listening = new List<int>();
        foreach (var port in ports.All)
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

    /// <summary>Starts (or restarts, after <see cref="StopAsync"/>) on the same ports and data.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Location);
        var startInfo = new ProcessStartInfo(executable) { WorkingDirectory = Location };
        foreach (var argument in (string[])[
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", Location,
            "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        process = logger is null
            ? ChildProcess.Start(startInfo, keepOutput: true)
            : ChildProcess.Start(startInfo, ChildProcess.LogLines(logger, LogLevel.Information), ChildProcess.LogLines(logger, LogLevel.Warning));
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while ((await ListeningAsync(Ports, cancellationToken)).Count < Ports.All.Count)
        {
            if (process.HasExited)
            {
                throw new LocalHostException($"Azurite exited with code {process.ExitCode} during start.{Environment.NewLine}{process.Output}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                process.KillTree();
                throw new LocalHostException($"Azurite did not listen on 127.0.0.1:{string.Join("/", Ports.All)} within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{process.Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Stops Azurite (its data stays).</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (deleteLocation)
        {
            try
            {
                Directory.Delete(Location, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying process: the temp folder is cleaned by the OS later.
            }
        }
    }
}
