using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace StatusChecks.IntegrationTests;

/// <summary>
/// A real Azurite and a local host running the real worker against it, started before and stopped after the tests
/// that own them. The shared fixtures derive from it, and so do test classes that need a service of their own
/// (they stop storage, kill the worker, or run with other settings: two hosts on one storage account would take
/// each other's queue messages).
/// </summary>
public abstract class IsolatedService : IAsyncLifetime
{
    private Azurite? azurite;
    private LocalHostInstance? host;

    /// <summary>Fast queue retries, so poison handling takes seconds rather than minutes.</summary>
    public static IReadOnlyDictionary<string, string?> FastQueueSettings { get; } = new Dictionary<string, string?>
    {
        ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00.200",
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
    };

    public Azurite Azurite => azurite ?? throw new InvalidOperationException("Not started.");

    public LocalHostInstance Host => host ?? throw new InvalidOperationException("Not started.");

    public TableServiceClient Tables => new(Azurite.ConnectionString);

    /// <summary>Base64 messages, as the Functions queue extension expects by default.</summary>
    public QueueServiceClient Queues => new(Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>The host's settings (environment variables).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => FastQueueSettings;

    public virtual async Task InitializeAsync()
    {
        azurite = await TestAzurite.StartAsync();
        host = await LocalHostInstance.StartAsync(azurite.ConnectionString, Settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
