namespace StatusChecks.Testing;

/// <summary>The repository's npm tools (package.json), installed with `npm ci` on first use on a fresh clone.</summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>The path of an executable in node_modules/.bin.</summary>
    public static Task<string> EnsureInstalledAsync(string tool) =>
        EnsureAsync(Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", tool), tool);

    /// <summary>The folder of a library package (no executable of its own), such as @gitbeaker/rest.</summary>
    public static async Task<string> EnsurePackageAsync(string package)
    {
        var manifest = await EnsureAsync(Path.Combine(RepositoryPaths.Root, "node_modules", package, "package.json"), package);
        return Path.GetDirectoryName(manifest)!;
    }

    private static async Task<string> EnsureAsync(string path, string what)
    {
        if (File.Exists(path))
        {
            return path;
        }

        await InstallGate.WaitAsync();
        try
        {
            // Test projects run in parallel processes: a lock file keeps them from running `npm ci` at once.
            Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, ".local"));
            await using var crossProcessLock = await AcquireFileLockAsync(Path.Combine(RepositoryPaths.Root, ".local", "npm-install.lock"));
            if (!File.Exists(path))
            {
                await using var npm = ChildProcess.Start("npm", ["ci", "--no-audit", "--no-fund"], RepositoryPaths.Root);
                await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(path) ? path : throw new InvalidOperationException($"npm ci did not install {what}.");
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
