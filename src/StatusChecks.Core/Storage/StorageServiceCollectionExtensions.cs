using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StatusChecks.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Table and Queue service clients. The same code serves a connection string (Azurite) and
    /// identity-based access (Azure): configuration alone chooses, as the Functions host does for
    /// <c>AzureWebJobsStorage</c> and its <c>__tableServiceUri</c>/<c>__queueServiceUri</c>/<c>__clientId</c> form.
    /// </summary>
    public static IServiceCollection AddStatusChecksStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(options => FillFromWebJobsStorage(options, configuration))
            .Validate(
                options => options.ConnectionString is not null || (options.TableServiceUri is not null && options.QueueServiceUri is not null),
                "Storage is not configured: set AzureWebJobsStorage (a connection string, or __tableServiceUri and __queueServiceUri) or StatusChecks:Storage.")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new TableClientOptions();
            ConfigureRetries(clientOptions.Retry, options);
            clientOptions.AddPolicy(StorageCallCountingPolicy.Instance, HttpPipelinePosition.PerRetry);
            return options.ConnectionString is not null
                ? new TableServiceClient(options.ConnectionString, clientOptions)
                : new TableServiceClient(options.TableServiceUri, CreateCredential(options), clientOptions);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            ConfigureRetries(clientOptions.Retry, options);
            clientOptions.AddPolicy(StorageCallCountingPolicy.Instance, HttpPipelinePosition.PerRetry);
            return options.ConnectionString is not null
                ? new QueueServiceClient(options.ConnectionString, clientOptions)
                : new QueueServiceClient(options.QueueServiceUri, CreateCredential(options), clientOptions);
        });
        services.AddSingleton<IStorageHealthProbe, StorageHealthProbe>();
        return services;
    }

    private static void FillFromWebJobsStorage(StorageOptions options, IConfiguration configuration)
    {
        if (options.ConnectionString is not null || options.TableServiceUri is not null)
        {
            return;
        }

        var webJobs = configuration.GetSection("AzureWebJobsStorage");
        if (!string.IsNullOrWhiteSpace(webJobs.Value))
        {
            options.ConnectionString = webJobs.Value;
            return;
        }

        options.TableServiceUri = webJobs.GetValue<Uri?>("tableServiceUri");
        options.QueueServiceUri = webJobs.GetValue<Uri?>("queueServiceUri");
        options.ClientId ??= webJobs["clientId"];
    }

    // A request must not hang on a dead storage account: a short network timeout and few retries turn an
    // outage into a quick 503 instead of a request that waits for the SDK's default two minutes.
    private static void ConfigureRetries(RetryOptions retry, StorageOptions options)
    {
        retry.MaxRetries = 2;
        retry.Delay = TimeSpan.FromMilliseconds(100);
        retry.MaxDelay = TimeSpan.FromSeconds(1);
        retry.NetworkTimeout = options.OperationTimeout;
    }

    private static TokenCredential CreateCredential(StorageOptions options) =>
        options.ClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
