namespace StatusChecks.Testing;

/// <summary>
/// A real Azurite (the repository's pinned npm package) on free loopback ports with its own data folder, so
/// tests never share state with a developer's instance. It can be stopped and started again on the same ports
/// and data, to simulate a storage outage.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    // Azurite's well-known development account: public, documented, accepted only by the emulator.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "statuschecks-azurite-" + Guid.NewGuid().ToString("N"));
    private ChildProcess? process;

    private AzuriteInstance()
    {
    }

    public int BlobPort { get; } = FreePort.Next();

    public int QueuePort { get; } = FreePort.Next();

    public int TablePort { get; } = FreePort.Next();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public static async Task<AzuriteInstance> StartAsync()
    {
        var azurite = new AzuriteInstance();
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts (or restarts, after <see cref="StopAsync"/>) on the same ports and data.</summary>
    public async Task StartAgainAsync()
    {
        var executable = await NodeTools.EnsureInstalledAsync("azurite");
        Directory.CreateDirectory(dataDirectory);
        process = ChildProcess.Start(
            executable,
            [
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", dataDirectory,
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            ],
            dataDirectory);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        }
    }

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
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp folder is cleaned by the OS later.
        }
    }
}
