namespace StatusChecks.LocalHost.Configuration;

/// <summary>How the worker's settings are put together; pure, so the merge rules are testable.</summary>
public static class WorkerEnvironment
{
    public const string StorageSetting = "AzureWebJobsStorage";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";
    public const string AdminToken = "AdminToken";
    public const string SecretsKey = "SecretsKey";
    public const string WebBaseUrl = "WebBaseUrl";

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
    /// The configured value of <c>StatusChecks:{name}</c> under either spelling of its name (environment first,
    /// then local.settings.json), or null when the host has to generate or default one.
    /// </summary>
    public static string? Configured(
        string name, IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string> localValues)
    {
        string?[] candidates =
        [
            Value(environment, Variable(name)), Value(environment, Key(name)),
            Value(localValues, Variable(name)), Value(localValues, Key(name)),
        ];
        return candidates.FirstOrDefault(candidate => !string.IsNullOrWhiteSpace(candidate));
    }

    /// <summary>
    /// The instance URL the API's <c>web_url</c> fields start with: the configured one, else this host's own address.
    /// Clients compare the two: python-gitlab's <c>auth()</c> warns on every call when the user's <c>web_url</c> is
    /// not under the URL it was given.
    /// </summary>
    public static string WebBaseUrlOf(
        int port, IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string> localValues) =>
        Configured(WebBaseUrl, environment, localValues) ?? $"http://127.0.0.1:{port}";

    /// <summary>
    /// The worker's environment: the host's own, plus every local.settings.json value not already set, plus what
    /// the Functions host always provides, plus <paramref name="hostSettings"/>: the <c>StatusChecks:*</c> values
    /// the host settled on (configured, generated or defaulted), under both spellings of their names.
    /// </summary>
    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyDictionary<string, string> localValues,
        string appDirectory,
        string storageConnection,
        IReadOnlyDictionary<string, string> hostSettings)
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
        foreach (var (name, value) in hostSettings)
        {
            result[Variable(name)] = value;
            if (result.ContainsKey(Key(name)))
            {
                result[Key(name)] = value; // never let the worker see two different values
            }
        }

        return result;
    }

    private static string Variable(string name) => $"StatusChecks__{name}";

    private static string Key(string name) => $"StatusChecks:{name}";

    private static string? Value<T>(IReadOnlyDictionary<string, T> settings, string name)
        where T : class? => settings.TryGetValue(name, out var value) ? value as string : null;
}
