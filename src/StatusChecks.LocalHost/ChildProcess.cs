using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost;

/// <summary>
/// A process started by the host (worker, Azurite, npm) or by a test or benchmark (the host itself, client scripts):
/// its output lines go to the given callbacks and, when asked, are kept for failure messages. It is stopped
/// gracefully (SIGTERM) and then, if it lingers, killed with its whole tree; any still running when this process
/// goes down in a way the runtime sees (normal exit, SIGTERM, unhandled exception) is killed too, so nothing is
/// orphaned.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();
    private readonly Process process;
    private readonly ConcurrentQueue<string>? output;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    private ChildProcess(Process process, bool keepOutput)
    {
        this.process = process;
        output = keepOutput ? new ConcurrentQueue<string>() : null;
    }

    /// <summary>The process id, kept after the process is disposed (for the log line that says it stopped).</summary>
    public int Id { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>The exit code once exited (0 while running).</summary>
    public int ExitCode => process.HasExited ? process.ExitCode : 0;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    /// <summary>Every line written so far (stdout and stderr), when started with <c>keepOutput</c>.</summary>
    public string Output => output is null ? string.Empty : string.Join(Environment.NewLine, output);

    public event Action<string>? LineWritten;

    /// <summary>Starts a process whose output is kept (<see cref="Output"/>, <see cref="WaitForLineAsync"/>).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return Start(info, keepOutput: true);
    }

    /// <summary>Starts a process whose stdout lines go to <paramref name="onOutput"/> and stderr lines to <paramref name="onError"/>.</summary>
    public static ChildProcess Start(ProcessStartInfo startInfo, Action<string>? onOutput = null, Action<string>? onError = null, bool keepOutput = false)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, keepOutput);
        process.OutputDataReceived += (_, e) => child.Record(e.Data, onOutput);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data, onError);
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
        child.Id = pid;
        Running[pid] = child;
        process.Exited += (_, _) => Running.TryRemove(pid, out var _);
        child.Exited = process.WaitForExitAsync();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Forwards each non-blank line to <paramref name="logger"/> at <paramref name="level"/>.</summary>
    public static Action<string> LogLines(ILogger logger, LogLevel level) => line =>
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            logger.Log(level, "{Line}", line);
        }
    };

    /// <summary>Waits for a line containing <paramref name="marker"/>; returns that line.</summary>
    public async Task<string> WaitForLineAsync(string marker, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                found.TrySetResult(line);
            }
        }

        LineWritten += OnLine;
        try
        {
            foreach (var line in (output ?? []).Where(l => l.Contains(marker, StringComparison.Ordinal)))
            {
                return line;
            }

            var winner = await Task.WhenAny(found.Task, Exited, Task.Delay(timeout));
            return winner == found.Task
                ? await found.Task
                : throw new TimeoutException($"'{marker}' not seen within {timeout} (exited: {process.HasExited}). Output:{Environment.NewLine}{Output}");
        }
        finally
        {
            LineWritten -= OnLine;
        }
    }

    /// <summary>Stops the process: SIGTERM first so it can clean up its own children, then a tree kill.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows() || Kill(process.Id, SigTerm) != 0)
        {
            KillTree();
        }

        try
        {
            await Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            KillTree();
            await Exited;
        }
    }

    /// <summary>Waits for the process to end on its own; throws if it fails or takes too long.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        await Exited.WaitAsync(timeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Waits for the process to end on its own and returns its exit code; throws, with its output, if it takes too long.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        try
        {
            await Exited.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{process.StartInfo.FileName} still running after {timeout}. Output:{Environment.NewLine}{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>Kills the process at once, as a crash would (no clean-up of its own).</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await Exited;
        }
    }

    /// <summary>Kills the process and everything it started; a process that is already gone is fine.</summary>
    public void KillTree()
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var child in Running.Values)
        {
            child.KillTree();
        }
    }

    private void Record(string? line, Action<string>? forward)
    {
        if (line is null)
        {
            return;
        }

        output?.Enqueue(line);
        forward?.Invoke(line);
        LineWritten?.Invoke(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
