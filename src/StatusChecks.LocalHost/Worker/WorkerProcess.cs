using System.Diagnostics;

namespace StatusChecks.LocalHost.Worker;

/// <summary>The worker process: started with the protocol's command line and environment, killed when done.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;

    private WorkerProcess(Process process)
    {
        this.process = process;
        Id = process.Id;
        Exited = process.WaitForExitAsync();
    }

    public int Id { get; }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; }

    public int ExitCode => process.HasExited ? process.ExitCode : 0;

    public static WorkerProcess Start(
        WorkerLaunch launch, IReadOnlyDictionary<string, string> environment, int grpcPort, string workerId, ILogger output)
    {
        var startInfo = new ProcessStartInfo(launch.Executable) { WorkingDirectory = launch.AppDirectory };
        foreach (var argument in launch.Arguments(grpcPort, workerId, requestId: Guid.NewGuid().ToString()))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        return new WorkerProcess(ChildProcesses.Start(startInfo, output, LogLevel.Error));
    }

    /// <summary>Waits for the process to exit by itself (after worker_terminate), killing it if it lingers.</summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        try
        {
            await Exited.WaitAsync(gracePeriod);
        }
        catch (TimeoutException)
        {
            ChildProcesses.KillTree(process);
            await Exited;
        }
        catch (ObjectDisposedException)
        {
            // Already exited and cleaned up by its owner.
        }
    }

    public async ValueTask DisposeAsync()
    {
        ChildProcesses.KillTree(process);
        await Exited;
        process.Dispose();
    }
}
