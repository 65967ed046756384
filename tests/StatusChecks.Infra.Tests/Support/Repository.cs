using System.Reflection;

namespace StatusChecks.Infra.Tests.Support;

internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The checkout root: the folder holding the solution file, found upwards from the test binaries.</summary>
    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Debug or Release: the configuration this test assembly (and so the solution) was built in.</summary>
    public static string BuildConfiguration =>
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StatusChecksFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No StatusChecksFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
