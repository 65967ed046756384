using System.Collections;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>Everything decided once at start: the worker to run, its settings, and whether Azurite is needed.</summary>
public sealed record LocalHostContext(
    LocalHostOptions Options,
    WorkerLaunch Worker,
    HostSettings Host,
    IReadOnlyDictionary<string, string> WorkerVariables,
    bool StartsAzurite,
    string AdminToken,
    bool AdminTokenGenerated)
{
    /// <summary>
    /// The start-up line about the admin token: the token itself only when this host generated it (it is in
    /// .local/admin-token anyway); a configured one came from its owner and is never printed (README.md (Configuration)).
    /// </summary>
    public string AdminTokenNotice => AdminTokenGenerated
        ? $"Admin token: {AdminToken}"
        : "Admin token: from configuration (StatusChecks__AdminToken)";

    public static LocalHostContext Create(LocalHostOptions options)
    {
        var worker = WorkerLaunch.Read(options.AppDir);
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string);
        var localValues = LocalSettings.Load(worker.AppDirectory);

        var storage = WorkerEnvironment.Lookup(WorkerEnvironment.StorageSetting, environment, localValues);
        var startsAzurite = WorkerEnvironment.UsesDevelopmentStorage(storage);
        var configuredToken = WorkerEnvironment.Configured(WorkerEnvironment.AdminToken, environment, localValues);
        var adminToken = configuredToken ?? LocalSecretStore.GetOrCreate(Path.Combine(options.LocalStateDirectory, "admin-token"));
        var secretsKey = WorkerEnvironment.Configured(WorkerEnvironment.SecretsKey, environment, localValues)
            ?? LocalSecretStore.GetOrCreate(Path.Combine(options.LocalStateDirectory, "secrets-key"), Convert.ToBase64String);

        var workerVariables = WorkerEnvironment.Build(
            environment,
            localValues,
            worker.AppDirectory,
            startsAzurite ? WorkerEnvironment.DevelopmentStorage : storage!,
            new Dictionary<string, string>
            {
                [WorkerEnvironment.AdminToken] = adminToken,
                [WorkerEnvironment.SecretsKey] = secretsKey,
                [WorkerEnvironment.WebBaseUrl] = WorkerEnvironment.WebBaseUrlOf(options.Port, environment, localValues),
            });
        return new LocalHostContext(
            options,
            worker,
            HostJson.Load(worker.AppDirectory, workerVariables),
            workerVariables,
            startsAzurite,
            adminToken,
            AdminTokenGenerated: configuredToken is null);
    }
}
