using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Storage;

namespace StatusChecks.Infra.Tests;

/// <summary>
/// The app picks its storage from configuration alone: the connection string Azurite needs locally, or the
/// identity-based settings infra/app/function-app.bicep writes in Azure.
/// </summary>
public sealed class StorageConfigurationTests
{
    // A syntactically valid key for a made-up account; nothing is ever sent.
    private static readonly string ConnectionString =
        $"DefaultEndpointsProtocol=https;AccountName=localacct;AccountKey={Convert.ToBase64String(new byte[64])};EndpointSuffix=core.windows.net";

    [Fact]
    public void AddStatusChecksStorage_ConnectionString_ClientsUseIt()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = ConnectionString });

        var tables = services.GetRequiredService<TableServiceClient>();
        var queues = services.GetRequiredService<QueueServiceClient>();

        Assert.Equal("localacct", tables.AccountName);
        Assert.Equal(new Uri("https://localacct.table.core.windows.net/"), tables.Uri);
        Assert.Equal("localacct", queues.AccountName);
        Assert.Equal(new Uri("https://localacct.queue.core.windows.net/"), queues.Uri);
    }

    [Fact]
    public void AddStatusChecksStorage_DevelopmentStorage_ClientsUseAzurite()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        Assert.Equal("devstoreaccount1", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal(10001, services.GetRequiredService<QueueServiceClient>().Uri.Port);
    }

    [Fact]
    public void AddStatusChecksStorage_IdentityBasedSettings_ClientsUseServiceUris()
    {
        // Environment variables AzureWebJobsStorage__x reach IConfiguration as AzureWebJobsStorage:x.
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-0000000000c1",
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stazure.blob.core.windows.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://stazure.queue.core.windows.net/",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://stazure.table.core.windows.net/",
        });

        var tables = services.GetRequiredService<TableServiceClient>();
        var queues = services.GetRequiredService<QueueServiceClient>();
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(new Uri("https://stazure.table.core.windows.net/"), tables.Uri);
        Assert.Equal("stazure", tables.AccountName);
        Assert.Equal(new Uri("https://stazure.queue.core.windows.net/"), queues.Uri);
        Assert.Equal("stazure", queues.AccountName);
        Assert.Null(options.ConnectionString);
        Assert.Equal("00000000-0000-0000-0000-0000000000c1", options.ClientId);
    }

    [Fact]
    public void AddStatusChecksStorage_IdentityBasedSettingsAsEnvironmentVariables_AreRead()
    {
        const string Prefix = "STATUSCHECKS_INFRA_TESTS_";
        var variables = new Dictionary<string, string>
        {
            [Prefix + "AzureWebJobsStorage__tableServiceUri"] = "https://stenv.table.core.windows.net/",
            [Prefix + "AzureWebJobsStorage__queueServiceUri"] = "https://stenv.queue.core.windows.net/",
            [Prefix + "AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-0000000000e1",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(Prefix).Build();
            using var services = new ServiceCollection().AddLogging().AddStatusChecksStorage(configuration).BuildServiceProvider();

            Assert.Equal("stenv", services.GetRequiredService<TableServiceClient>().AccountName);
            Assert.Equal("stenv", services.GetRequiredService<QueueServiceClient>().AccountName);
            Assert.Equal("00000000-0000-0000-0000-0000000000e1", services.GetRequiredService<IOptions<StorageOptions>>().Value.ClientId);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void AddStatusChecksStorage_NothingConfigured_FailsValidation()
    {
        using var services = Build([]);

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TableServiceClient>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddStatusChecksStorage(configuration).BuildServiceProvider();
    }
}
