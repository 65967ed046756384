using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StatusChecks.Core;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.LocalHost.Storage;
using StatusChecks.Testing;

namespace StatusChecks.Core.Tests.Storage;

/// <summary>One real Azurite for all storage tests; each test gets its own table prefix, so tests never share rows.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? azurite;

    public string ConnectionString => azurite!.ConnectionString;

    public async Task InitializeAsync() => azurite = await TestAzurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    internal TestDomain CreateDomain(TimeProvider? time = null) => new(ConnectionString, time);
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>The real domain registration over Azurite, with a recording event sink.</summary>
internal sealed class TestDomain : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789"; // the app refuses tokens under 20 characters
    private readonly ServiceProvider provider;

    public TestDomain(string connectionString, TimeProvider? time)
    {
        Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["StatusChecks:Storage:ConnectionString"] = connectionString,
                ["StatusChecks:Storage:NamePrefix"] = Prefix,
                ["StatusChecks:AdminToken"] = AdminToken,
                ["StatusChecks:SecretsKey"] = Convert.ToBase64String(new byte[32]),
            })
            .Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IMergeRequestEvents>(Events);
        services.AddStatusChecksStorage(configuration).AddStatusChecksDomain(configuration);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string Prefix { get; }

    public RecordingEvents Events { get; } = new();

    public Caller Admin { get; } = Caller.Admin;

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public TableClient Table(string name) => provider.GetRequiredService<TableServiceClient>().GetTableClient(Prefix + name);

    /// <summary>The project's audit rows, oldest first, read from the table (nothing in the app reads them back).</summary>
    public async Task<IReadOnlyList<AuditEntity>> AuditAsync(long projectId)
    {
        var partition = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<AuditEntity>();
        await foreach (var row in Table(StatusChecksTables.StatusChecks).QueryAsync<AuditEntity>(
                           r => r.PartitionKey == partition && r.RowKey.CompareTo("audit|") > 0 && r.RowKey.CompareTo("audit|~") < 0))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<Project> NewProjectAsync(string name = "Demo") =>
        await Get<IProjectService>().CreateAsync(Admin, new NewProject(name, null));

    public async Task<MergeRequest> NewMergeRequestAsync(Project project, string target = "main", string sha = Sha.A) =>
        await Get<IMergeRequestService>().CreateAsync(Admin, ProjectRef.ById(project.Id), new NewMergeRequest("feature", target, "Change", sha));

    public async ValueTask DisposeAsync()
    {
        var tables = provider.GetRequiredService<TableServiceClient>();
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0 && t.Name.CompareTo(Prefix + "~") < 0))
        {
            await tables.DeleteTableAsync(table.Name);
        }

        await provider.DisposeAsync();
    }
}

internal sealed class RecordingEvents : IMergeRequestEvents
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<MergeRequestEvent> published = new();

    public IReadOnlyList<MergeRequestEvent> Published => [.. published];

    /// <summary>Runs after an event is recorded, inside the publishing request (between its reads and its write).</summary>
    public Func<MergeRequestEvent, Task>? OnPublished { get; set; }

    public async Task PublishAsync(MergeRequestEvent mergeRequestEvent, CancellationToken cancellationToken)
    {
        published.Enqueue(mergeRequestEvent);
        if (OnPublished is { } hook)
        {
            await hook(mergeRequestEvent);
        }
    }
}

internal static class Sha
{
    public const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
}
