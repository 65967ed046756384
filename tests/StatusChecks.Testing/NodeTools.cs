namespace StatusChecks.Testing;

/// <summary>The repository's npm tools (package.json), installed with `npm ci` on first use on a fresh clone.</summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static async Task<string> EnsureInstalledAsync(string tool)
    {
        var executable = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", tool);
        if (File.Exists(executable))
        {
            return executable;
        }

        await InstallGate.WaitAsync();
        try
        {
            // Test projects run in parallel processes: a lock file keeps them from running `npm ci` at once.
            Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, ".local"));
            await using var crossProcessLock = await AcquireFileLockAsync(Path.Combine(RepositoryPaths.Root, ".local", "npm-install.lock"));
            if (!File.Exists(executable))
            {
                await using var npm = ChildProcess.Start("npm", ["ci", "--no-audit", "--no-fund"], RepositoryPaths.Root);
                await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(executable) ? executable : throw new InvalidOperationException($"npm ci did not install {tool}.");
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
