using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StatusChecks.Testing;

/// <summary>
/// A process a test started: output captured for failure messages, stopped gracefully (SIGTERM) and then,
/// if it lingers, killed with its whole tree so no test leaves anything running.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output => string.Join(Environment.NewLine, output);

    public event Action<string>? LineWritten;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Record(e.Data);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

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
            foreach (var line in output.Where(l => l.Contains(marker, StringComparison.Ordinal)))
            {
                return line;
            }

            var exited = process.WaitForExitAsync();
            var winner = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
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
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to end on its own; throws if it fails or takes too long.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Waits for the process to end on its own and returns its exit code; throws, with its output, if it takes too long.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
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
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        LineWritten?.Invoke(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
