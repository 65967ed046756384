using StatusChecks.Testing;

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

    public static string OpenApiJson => Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");

    public static string Readme => Path.Combine(RepositoryPaths.Root, "README.md");
}
