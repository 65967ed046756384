using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost;

/// <summary>
/// Starts the host's child processes (worker, Azurite, npm) with their output forwarded to a logger, and kills
/// any still running when the host goes down in a way the runtime sees (normal exit, SIGTERM, unhandled exception),
/// so nothing is orphaned.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    /// <summary>Starts a process whose stdout/stderr lines go to <paramref name="logger"/>.</summary>
    public static Process Start(ProcessStartInfo startInfo, ILogger logger, LogLevel errorLevel = LogLevel.Warning)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(logger, LogLevel.Information, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(logger, errorLevel, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new LocalHostException($"Cannot start '{startInfo.FileName}': {ex.Message}", ex);
        }

        var pid = process.Id;
        Running[pid] = process;
        process.Exited += (_, _) => Running.TryRemove(pid, out var _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the process and everything it started; a process that is already gone is fine.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited between the check and the kill, or was never started.
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            KillTree(process);
        }
    }

    private static void Forward(ILogger logger, LogLevel level, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            logger.Log(level, "{Line}", line);
        }
    }
}
