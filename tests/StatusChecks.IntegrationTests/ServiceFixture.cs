using Azure.Data.Tables;
using Azure.Storage.Queues;
using StatusChecks.Testing;

namespace StatusChecks.IntegrationTests;

/// <summary>
/// One real Azurite and one local host running the real worker, shared by every test class in the
/// <see cref="ServiceCollection"/>; stopped at the end so nothing is left running.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private AzuriteInstance? azurite;
    private LocalHostInstance? host;

    public AzuriteInstance Azurite => azurite ?? throw new InvalidOperationException("Not started.");

    public LocalHostInstance Host => host ?? throw new InvalidOperationException("Not started.");

    public TableServiceClient Tables => new(Azurite.ConnectionString);

    /// <summary>Base64 messages, as the Functions queue extension expects by default.</summary>
    public QueueServiceClient Queues => new(Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Settings the tests need from the host: fast queue retries so poison handling takes seconds.</summary>
    public static IReadOnlyDictionary<string, string?> FastQueueSettings { get; } = new Dictionary<string, string?>
    {
        ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00.200",
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
    };

    public async Task InitializeAsync()
    {
        azurite = await AzuriteInstance.StartAsync();
        host = await LocalHostInstance.StartAsync(azurite.ConnectionString, FastQueueSettings);
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

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
