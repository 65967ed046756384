using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace StatusChecks.Infra.Tests.Support;

internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// Runs the Bicep CLI that restoring this project brought in (NuGet package Azure.Bicep.CommandLine.linux-x64).
/// Always with --no-restore: the templates use no registry modules, so nothing may reach the network.
/// </summary>
internal static class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";
    private static readonly Lazy<string> ExecutablePath = new(Locate);

    public static string Executable => ExecutablePath.Value;

    public static Task<BicepResult> BuildAsync(string bicepFile, string outFile) =>
        RunAsync("build", bicepFile, "--no-restore", "--outfile", outFile);

    /// <summary>Lints with SARIF diagnostics on stdout, so findings are data rather than text to grep.</summary>
    public static Task<BicepResult> LintAsync(string bicepFile) =>
        RunAsync("lint", bicepFile, "--no-restore", "--diagnostics-format", "sarif");

    /// <summary>Every diagnostic (any level) in a SARIF log, as "level ruleId: message".</summary>
    /// <remarks>SARIF omits <c>level</c> when it is the default, "warning".</remarks>
    public static IReadOnlyList<string> SarifDiagnostics(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        return document.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("results").EnumerateArray())
            .Select(result =>
                $"{(result.TryGetProperty("level", out var level) ? level.GetString() : "warning")} {result.GetProperty("ruleId").GetString()}: " +
                $"{result.GetProperty("message").GetProperty("text").GetString()}")
            .ToList();
    }

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("bicep did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in time.");
        }

        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    // The package's build props define BicepPath; the project bakes it into this assembly. A machine that
    // restored elsewhere falls back to the NuGet global packages folder.
    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            path = FindInGlobalPackages()
                ?? throw new FileNotFoundException($"Bicep CLI not found: restore the test project ({PackageId}).");
        }

        EnsureExecutable(path);
        return path;
    }

    private static string? FindInGlobalPackages()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var packageDir = new DirectoryInfo(Path.Combine(root, PackageId));
        return packageDir.Exists
            ? packageDir.EnumerateFiles("bicep", SearchOption.AllDirectories)
                .Where(f => f.Directory?.Name == "tools")
                .OrderByDescending(f => Version.TryParse(f.Directory?.Parent?.Name, out var v) ? v : new Version())
                .Select(f => f.FullName)
                .FirstOrDefault()
            : null;
    }

    // A package extracted by a tool that drops Unix modes leaves the binary without its execute bit.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
