namespace StatusChecks.Functions.Tests.Api.Contract;

/// <summary>
/// The committed files built from the route catalogue. Set STATUSCHECKS_WRITE_CONTRACT=1 to make the tests that
/// compare them write them instead (see <see cref="RegenerateCommand"/>).
/// </summary>
internal static class ContractFiles
{
    public const string RegenerateCommand =
        "STATUSCHECKS_WRITE_CONTRACT=1 dotnet test tests/StatusChecks.Functions.Tests --filter \"FullyQualifiedName~OpenApi\"";

    public static bool Regenerate => Environment.GetEnvironmentVariable("STATUSCHECKS_WRITE_CONTRACT") == "1";

    public static string Root { get; } = FindRoot();

    public static string OpenApiJson => Path.Combine(Root, "docs", "openapi.json");

    public static string Readme => Path.Combine(Root, "README.md");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StatusChecksFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (StatusChecksFunctions.sln) is not above " + AppContext.BaseDirectory);
    }
}
