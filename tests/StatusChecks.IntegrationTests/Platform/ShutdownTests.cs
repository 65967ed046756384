namespace StatusChecks.IntegrationTests.Platform;

/// <summary>Stopping the local host (Ctrl+C in a terminal, SIGTERM from a test or a process manager).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Host_Sigterm_StopsItsWorkerAndExitsCleanly()
    {
        await using var azurite = await TestAzurite.StartAsync();
        await using var host = await LocalHostInstance.StartAsync(azurite.ConnectionString);
        var worker = host.WorkerProcessId;

        await host.Process.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(host.Process.ExitCode == 0, $"exit code {host.Process.ExitCode}:{Environment.NewLine}{host.Process.Output}");
        Assert.DoesNotContain("Unhandled exception", host.Process.Output, StringComparison.Ordinal);
        Assert.Contains($"Worker process {worker} stopped", host.Process.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/proc/{worker}"), $"worker {worker} still running");
    }
}
