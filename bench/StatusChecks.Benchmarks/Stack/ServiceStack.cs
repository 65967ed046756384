using StatusChecks.Benchmarks.Measurement;
using StatusChecks.LocalHost.Storage;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Stack;

/// <summary>
/// A real Azurite on free ports and the local host running the worker against it (this build's configuration),
/// as the integration tests start them; everything is stopped on dispose.
/// </summary>
internal sealed class ServiceStack : IAsyncDisposable
{
    private readonly string name;
    private LocalHostInstance? host;

    private ServiceStack(string name, Azurite azurite, LocalHostInstance host, IReadOnlyDictionary<string, string?> settings)
    {
        this.name = name;
        Azurite = azurite;
        this.host = host;
        Settings = settings;
    }

    public Azurite Azurite { get; }

    public LocalHostInstance Host => host ?? throw new InvalidOperationException("The host was stopped.");

    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The worker process (a child of the host whose command line names the Functions app).</summary>
    public int WorkerProcessId => Host.WorkerProcessId;

    public static async Task<ServiceStack> StartAsync(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        settings ??= new Dictionary<string, string?>();
        Console.WriteLine($"Starting Azurite and the local host ({RepositoryPaths.LocalHostAssembly}) ...");
        var azurite = await TestAzurite.StartAsync();
        try
        {
            var host = await LocalHostInstance.StartAsync(azurite.ConnectionString, settings);
            return new ServiceStack(name, azurite, host, settings);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the host's output (its log and the worker's) is saved when it stops, for profiling.</summary>
    public static string LogPath(string name) => Path.Combine(Path.GetTempPath(), $"statuschecks-bench-{name}-host.log");

    /// <summary>Stops the host (and its worker), keeping Azurite running; saves the host's output to <see cref="LogPath"/>.</summary>
    public async Task StopHostAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
            await File.WriteAllTextAsync(LogPath(name), host.Process.Output);
            host = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopHostAsync();
        }
        finally
        {
            await Azurite.DisposeAsync();
        }
    }
}
