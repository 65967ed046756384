using StatusChecks.LocalHost;

namespace StatusChecks.Testing;

/// <summary>
/// Debian packages a test needs (the real GitLab clients), installed with apt-get on first use when missing, so
/// that `dotnet test` alone works on a fresh machine as `npm ci` does for the npm tools. Installing needs root
/// (as on CI and these machines); otherwise the test fails saying what to install.
/// </summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool listsUpdated;

    /// <summary>Returns <paramref name="probePath"/>, a file <paramref name="package"/> installs, after installing it if absent.</summary>
    public static async Task<string> EnsureAsync(string package, string probePath)
    {
        if (File.Exists(probePath))
        {
            return probePath;
        }

        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(probePath) && Environment.UserName == "root")
            {
                var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
                if (!listsUpdated)
                {
                    await RunAsync(["update", "-qq"], environment);
                    listsUpdated = true;
                }

                await RunAsync(["install", "-y", "-qq", package], environment);
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(probePath)
            ? probePath
            : throw new InvalidOperationException($"{probePath} is missing: install Debian's {package} (`apt-get install {package}`; .ci/run does).");
    }

    private static async Task RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        await using var apt = ChildProcess.Start("apt-get", arguments, Path.GetTempPath(), environment);
        var code = await apt.ExitCodeAsync(TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            throw new InvalidOperationException($"apt-get {string.Join(' ', arguments)} exited with {code}:{Environment.NewLine}{apt.Output}");
        }
    }
}
