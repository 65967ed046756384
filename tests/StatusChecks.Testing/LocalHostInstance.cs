using System.Diagnostics;
using System.Security.Cryptography;
using StatusChecks.LocalHost;

namespace StatusChecks.Testing;

/// <summary>
/// The project's local Functions host (src/StatusChecks.LocalHost) running the real worker, as its own process,
/// against the given storage; the README's run command in test form.
/// </summary>
public sealed class LocalHostInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private LocalHostInstance(ChildProcess process, int port, string adminToken, TimeSpan startup)
    {
        Process = process;
        Port = port;
        AdminToken = adminToken;
        Startup = startup;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/api/");

    public string AdminToken { get; }

    /// <summary>Process start to the first 200 from /api/health.</summary>
    public TimeSpan Startup { get; }

    public static async Task<LocalHostInstance> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = LoopbackPorts.Next();
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["StatusChecks__AdminToken"] = adminToken,
            ["StatusChecks__SecretsKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["StatusChecks__Notifications__AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(
            "dotnet",
            [RepositoryPaths.LocalHostAssembly, "--port", port.ToString(), "--parent-pid", Environment.ProcessId.ToString()],
            RepositoryPaths.Root,
            environment);
        try
        {
            await process.WaitForLineAsync("Worker ready in", StartTimeout);
            await WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{port}/api/health"), process);
            return new LocalHostInstance(process, port, adminToken, clock.Elapsed);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The worker the host runs now: its child process whose command line names the Functions app (Linux /proc).</summary>
    public int WorkerProcessId =>
        Directory.GetDirectories($"/proc/{Process.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .Single(pid => File.Exists($"/proc/{pid}/cmdline")
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("StatusChecks.Functions.dll", StringComparison.Ordinal));

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        }

        return client;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static async Task WaitUntilHealthyAsync(Uri health, ChildProcess process)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"{health} did not answer 200 (host exited: {process.HasExited}). Output:{Environment.NewLine}{process.Output}");
            }

            await Task.Delay(200);
        }
    }
}
