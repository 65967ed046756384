using System.Reflection;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>
/// The local host's own settings, bound from the "LocalHost" configuration section: <c>--port 7071</c>,
/// <c>--app-dir DIR</c>, <c>--parent-pid PID</c> on the command line, or <c>LocalHost__Port</c> etc. in the environment.
/// </summary>
public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>Maps the documented command-line switches onto the section.</summary>
    public static readonly IDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--port"] = "LocalHost:Port",
        ["--app-dir"] = "LocalHost:AppDir",
        ["--parent-pid"] = "LocalHost:ParentPid",
    };

    /// <summary>HTTP port on 127.0.0.1 that serves the function app's HTTP triggers.</summary>
    public int Port { get; set; } = 7071;

    /// <summary>The worker app's build output (worker.config.json, functions.metadata, host.json).</summary>
    public string AppDir { get; set; } = BuildMetadata("FunctionsAppDirectory");

    /// <summary>When set, the host exits as soon as that process is gone (test runners use it).</summary>
    public int? ParentPid { get; set; }

    /// <summary>Where node_modules (Azurite) and the git-ignored .local folder live.</summary>
    public string RepositoryRoot { get; set; } = BuildMetadata("RepositoryRoot");

    public string LocalStateDirectory => Path.Combine(RepositoryRoot, ".local");

    // Absolute defaults are baked in at build time (see the csproj), so `dotnet run` works from any directory.
    private static string BuildMetadata(string key) =>
        typeof(LocalHostOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value ?? Directory.GetCurrentDirectory();
}
