
namespace StatusChecks.IntegrationTests.Notifications;

/// <summary>
/// Its own Azurite and local host for the notification tests, with a retry schedule and request timeout short
/// enough to watch retries and give-ups within seconds. Not the shared service: that host keeps the production
/// schedule, and two hosts on one storage account would take each other's queue messages.
/// </summary>
public sealed class NotificationsFixture : IsolatedService
{
    public const string RetrySchedule = "00:00:01,00:00:02"; // whole seconds: the queue service counts no finer
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    public GitLabApi Api { get; private set; } = null!;

    public static Dictionary<string, string?> NotificationSettings(bool allowPrivateNetworks) => new(FastQueueSettings)
    {
        ["StatusChecks__Notifications__AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["StatusChecks__Notifications__RetrySchedule"] = RetrySchedule,
        ["StatusChecks__Notifications__RequestTimeout"] = RequestTimeout.ToString(),
    };

    protected override IReadOnlyDictionary<string, string?> Settings => NotificationSettings(allowPrivateNetworks: true);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Api = new GitLabApi(Host);
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}
