using StatusChecks.IntegrationTests.Api;
using StatusChecks.Testing;

namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// Its own Azurite and local host for the notification tests, with a retry schedule and request timeout short
/// enough to watch retries and give-ups within seconds. Not the shared service: that host keeps the production
/// schedule, and two hosts on one storage account would take each other's queue messages.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public const string RetrySchedule = "00:00:01,00:00:02"; // whole seconds: the queue service counts no finer
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private AzuriteInstance? azurite;
    private LocalHostInstance? host;

    public LocalHostInstance Host => host ?? throw new InvalidOperationException("Not started.");

    public GitLabApi Api { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(bool allowPrivateNetworks) => new(ServiceFixture.FastQueueSettings)
    {
        ["StatusChecks__Notifications__AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["StatusChecks__Notifications__RetrySchedule"] = RetrySchedule,
        ["StatusChecks__Notifications__RequestTimeout"] = RequestTimeout.ToString(),
    };

    public async Task InitializeAsync()
    {
        azurite = await AzuriteInstance.StartAsync();
        host = await LocalHostInstance.StartAsync(azurite.ConnectionString, Settings(allowPrivateNetworks: true));
        Api = new GitLabApi(host);
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
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}
