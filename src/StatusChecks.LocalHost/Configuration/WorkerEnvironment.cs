namespace StatusChecks.LocalHost.Configuration;

/// <summary>How the worker's settings are put together; pure, so the merge rules are testable.</summary>
public static class WorkerEnvironment
{
    public const string StorageSetting = "AzureWebJobsStorage";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";
    public const string AdminTokenVariable = "StatusChecks__AdminToken";
    private const string AdminTokenKey = "StatusChecks:AdminToken";

    /// <summary>A setting as the Functions host sees it: the process environment wins over local.settings.json.</summary>
    public static string? Lookup(
        string name, IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string> localValues) =>
        environment.TryGetValue(name, out var fromEnvironment) && !string.IsNullOrEmpty(fromEnvironment)
            ? fromEnvironment
            : localValues.TryGetValue(name, out var fromFile) && !string.IsNullOrEmpty(fromFile) ? fromFile : null;

    /// <summary>Missing storage or the development shortcut both mean "the local emulator".</summary>
    public static bool UsesDevelopmentStorage(string? connection) =>
        string.IsNullOrWhiteSpace(connection)
        || connection.Trim().TrimEnd(';').Equals(DevelopmentStorage, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The configured admin token under either spelling of its name (environment first, then local.settings.json),
    /// or null when the host has to generate one.
    /// </summary>
    public static string? ConfiguredAdminToken(
        IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string> localValues)
    {
        string?[] candidates =
        [
            Value(environment, AdminTokenVariable), Value(environment, AdminTokenKey),
            Value(localValues, AdminTokenVariable), Value(localValues, AdminTokenKey),
        ];
        return candidates.FirstOrDefault(candidate => !string.IsNullOrWhiteSpace(candidate));
    }

    /// <summary>
    /// The worker's environment: the host's own, plus every local.settings.json value not already set, plus what
    /// the Functions host always provides.
    /// </summary>
    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyDictionary<string, string> localValues,
        string appDirectory,
        string storageConnection,
        string adminToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }

        foreach (var (name, value) in localValues)
        {
            if (!result.ContainsKey(name))
            {
                result[name] = value;
            }
        }

        result["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        result["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        result["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        result["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        result[StorageSetting] = storageConnection;
        result[AdminTokenVariable] = adminToken;
        if (result.ContainsKey(AdminTokenKey))
        {
            result[AdminTokenKey] = adminToken; // never let the worker see two different tokens
        }

        return result;
    }

    private static string? Value<T>(IReadOnlyDictionary<string, T> settings, string name)
        where T : class? => settings.TryGetValue(name, out var value) ? value as string : null;
}
