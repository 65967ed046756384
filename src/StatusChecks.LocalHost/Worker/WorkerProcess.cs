using System.Diagnostics;

namespace StatusChecks.LocalHost.Worker;

/// <summary>The worker process: started with the protocol's command line and environment, killed when done.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly ChildProcess process;

    private WorkerProcess(ChildProcess process) => this.process = process;

    public int Id => process.Id;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => process.Exited;

    public int ExitCode => process.ExitCode;

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

        return new WorkerProcess(ChildProcess.Start(startInfo, ChildProcess.LogLines(output, LogLevel.Information), ChildProcess.LogLines(output, LogLevel.Error)));
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
            process.KillTree();
            await Exited;
        }
        catch (ObjectDisposedException)
        {
            // Already exited and cleaned up by its owner.
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.KillTree();
        await Exited;
        await process.DisposeAsync();
    }
}
