using System.Diagnostics;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost;

/// <summary>With <c>--parent-pid</c>: stops the host when that process is gone, so a dead test run orphans nothing.</summary>
internal sealed class ParentProcessWatcher(LocalHostOptions options, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ParentPid is not { } pid)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (IsRunning(pid) && await timer.WaitForNextTickAsync(stoppingToken))
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        logger.LogWarning("Parent process {Pid} has exited; stopping", pid);
        lifetime.StopApplication();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }
}
