using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost;

/// <summary>
/// The repository's npm tools (package.json: Azurite, the client libraries the tests drive), installed with `npm ci`
/// on first use on a fresh clone, by the host and the tests alike.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>The path of an executable in node_modules/.bin under <paramref name="root"/>.</summary>
    public static Task<string> EnsureInstalledAsync(string root, string tool, ILogger? logger = null) =>
        EnsureAsync(root, Path.Combine(root, "node_modules", ".bin", tool), tool, logger);

    /// <summary>The folder of a library package (no executable of its own), such as @gitbeaker/rest.</summary>
    public static async Task<string> EnsurePackageAsync(string root, string package)
    {
        var manifest = await EnsureAsync(root, Path.Combine(root, "node_modules", package, "package.json"), package, logger: null);
        return Path.GetDirectoryName(manifest)!;
    }

    private static async Task<string> EnsureAsync(string root, string path, string what, ILogger? logger)
    {
        if (File.Exists(path))
        {
            return path;
        }

        await InstallGate.WaitAsync();
        try
        {
            // Test projects run in parallel processes: a lock file keeps them from running `npm ci` at once.
            Directory.CreateDirectory(Path.Combine(root, ".local"));
            await using var crossProcessLock = await AcquireFileLockAsync(Path.Combine(root, ".local", "npm-install.lock"));
            if (!File.Exists(path))
            {
                logger?.LogInformation("node_modules is missing: running 'npm ci' in {Root}", root);
                var npm = new System.Diagnostics.ProcessStartInfo("npm") { WorkingDirectory = root, ArgumentList = { "ci", "--no-audit", "--no-fund" } };
                await using var process = logger is null
                    ? ChildProcess.Start(npm, keepOutput: true)
                    : ChildProcess.Start(npm, ChildProcess.LogLines(logger, LogLevel.Information), ChildProcess.LogLines(logger, LogLevel.Warning));
                var code = await process.ExitCodeAsync(TimeSpan.FromMinutes(5));
                if (code != 0)
                {
                    throw new LocalHostException($"'npm ci' in {root} failed with exit code {code}.{Environment.NewLine}{process.Output}");
                }
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(path) ? path : throw new LocalHostException($"'npm ci' in {root} did not install {what}.");
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
        }
    }
}
