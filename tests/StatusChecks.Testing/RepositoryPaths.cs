using System.Reflection;

namespace StatusChecks.Testing;

/// <summary>Absolute paths fixed at build time, so tests find the repository wherever they run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string LocalHostAssembly { get; } = Metadata("LocalHostAssembly");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == key).Value!;
}
