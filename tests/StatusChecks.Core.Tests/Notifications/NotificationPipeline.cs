using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>
/// The real domain and notification services over Azurite (own table prefix), with the queues recorded instead of
/// sent (each test pumps them by hand) and the delivery client's network replaced by a scripted handler.
/// </summary>
internal sealed class NotificationPipeline : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly string prefix = "n" + Guid.NewGuid().ToString("N")[..12];

    public NotificationPipeline(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["StatusChecks:Storage:ConnectionString"] = connectionString,
                ["StatusChecks:Storage:NamePrefix"] = prefix,
                ["StatusChecks:SecretsKey"] = Convert.ToBase64String(new byte[32]),
                ["StatusChecks:Notifications:RetrySchedule"] = "00:00:01,00:00:02",
                ["StatusChecks:Notifications:CommitTimeout"] = "00:00:30",
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
        services.AddStatusChecksStorage(configuration).AddStatusChecksDomain(configuration).AddStatusChecksNotifications(configuration);
        services.Replace(ServiceDescriptor.Singleton<INotificationQueues>(Queues));
        services.AddHttpClient(WebhookSender.ClientName).ConfigurePrimaryHttpMessageHandler(() => Network);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    public RecordingQueues Queues { get; } = new();

    public ScriptedNetwork Network { get; } = new();

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    /// <summary>The name of this pipeline's copy of a table.</summary>
    public string TableName(string name) => prefix + name;

    public async Task<(ProjectRef Project, long CheckId)> ProjectWithCheckAsync(string? secret = null, params long[] branchIds)
    {
        var project = await Get<IProjectService>().CreateAsync(Caller.Admin, new NewProject("Demo" + Guid.NewGuid().ToString("N")[..6], null));
        var check = await Get<IStatusCheckService>().CreateAsync(Caller.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("ci", "https://ci.example/hook", secret, branchIds));
        return (ProjectRef.ById(project.Id), check.Id);
    }

    public Task<MergeRequest> OpenAsync(ProjectRef project, string target = "main", string sha = Sha.A) =>
        Get<IMergeRequestService>().CreateAsync(Caller.Admin, project, new NewMergeRequest("feature", target, "Change", sha));

    /// <summary>Handles every queued message (fan-out first, then deliveries) until none is left; delays are ignored.</summary>
    public async Task PumpAsync()
    {
        while (Queues.TryTake(out var message))
        {
            if (message.Queue == NotificationQueueNames.Events)
            {
                await Get<INotificationFanOut>().HandleAsync(NotificationMessages.DecodeEvent(message.Text), CancellationToken.None);
            }
            else
            {
                await Get<IDeliveryProcessor>().HandleAsync(NotificationMessages.DecodeDelivery(message.Text), CancellationToken.None);
            }
        }
    }

    public async Task<IReadOnlyList<StatusCheckDelivery>> LogAsync(ProjectRef project, long iid, long checkId) =>
        (await Get<IDeliveryLogService>().ListAsync(Caller.Admin, project, iid, checkId, PageRequest.Create(1, 100))).Items;

    public async ValueTask DisposeAsync()
    {
        var tables = provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "~") < 0))
        {
            await tables.DeleteTableAsync(table.Name);
        }

        await provider.DisposeAsync();
    }
}

internal sealed record QueuedMessage(string Queue, string Text, TimeSpan? Delay);

internal sealed class RecordingQueues : INotificationQueues
{
    private readonly ConcurrentQueue<QueuedMessage> pending = new();
    private readonly ConcurrentQueue<QueuedMessage> sent = new();

    /// <summary>When set, every send throws it (the queue service is down).</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, runs inside each send, after the message is recorded (the sender waits for it).</summary>
    public Func<QueuedMessage, Task>? OnSent { get; set; }

    public IReadOnlyList<QueuedMessage> Sent => [.. sent];

    public async Task SendAsync(string queueName, string text, TimeSpan? delay, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        var message = new QueuedMessage(queueName, text, delay);
        pending.Enqueue(message);
        sent.Enqueue(message);
        if (OnSent is { } onSent)
        {
            await onSent(message);
        }
    }

    public bool TryTake(out QueuedMessage message) => pending.TryDequeue(out message!);

    public void Clear() => pending.Clear();
}

/// <summary>Answers each request with the next scripted status (the last one repeats) and records what was sent.</summary>
internal sealed class ScriptedNetwork : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> script = new();
    private readonly ConcurrentQueue<(HttpRequestMessage Request, byte[] Body)> received = new();
    private Func<HttpResponseMessage> last = () => new HttpResponseMessage(HttpStatusCode.OK);

    public IReadOnlyList<(HttpRequestMessage Request, byte[] Body)> Received => [.. received];

    /// <summary>When set, answers every request instead of the script (per URL, or later than at once).</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage>>? Handler { get; set; }

    public void Answer(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            Then(() => new HttpResponseMessage(status));
        }
    }

    public void Then(Func<HttpResponseMessage> respond)
    {
        script.Enqueue(respond);
        last = respond;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        received.Enqueue((request, await request.Content!.ReadAsByteArrayAsync(cancellationToken)));
        if (Handler is { } handler)
        {
            return await handler(request);
        }

        return (script.TryDequeue(out var respond) ? respond : last)();
    }
}
