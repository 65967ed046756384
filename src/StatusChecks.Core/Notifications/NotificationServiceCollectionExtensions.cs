using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// The notification fan-out (docs/API.md (Notifications)) and the delivery log (section 6): replaces the logging
    /// <see cref="IMergeRequestEvents"/> with the queue publisher. Needs AddStatusChecksStorage and AddStatusChecksDomain.
    /// </summary>
    public static IServiceCollection AddStatusChecksNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.SectionName))
            .Validate(o => o.RequestTimeout > TimeSpan.Zero && o.RequestTimeout <= TimeSpan.FromMinutes(5), "StatusChecks:Notifications:RequestTimeout must be 0..5 minutes.")
            .Validate(o => RetrySchedule.TryParse(o.RetrySchedule, out _), "StatusChecks:Notifications:RetrySchedule must be comma-separated delays (hh:mm:ss) under 7 days.")
            .Validate(o => o.CommitTimeout > TimeSpan.Zero && o.CommitPollInterval > TimeSpan.Zero, "StatusChecks:Notifications:CommitTimeout and CommitPollInterval must be positive.")
            .Validate(o => o.InlineDeliveryWait >= TimeSpan.Zero && o.InlineDeliveryWait <= TimeSpan.FromMinutes(1), "StatusChecks:Notifications:InlineDeliveryWait must be 0..1 minute.")
            .Validate(o => o.MaxInFlightPerHost is > 0 and <= 10_000, "StatusChecks:Notifications:MaxInFlightPerHost must be 1..10000.")
            .Validate(o => o.FailuresBeforeDisabling >= 0, "StatusChecks:Notifications:FailuresBeforeDisabling must not be negative.")
            .Validate(
                o => o.DisableInitialBackoff > TimeSpan.Zero && o.DisableMaxBackoff >= o.DisableInitialBackoff && o.DisableMaxBackoff < TimeSpan.FromDays(7),
                "StatusChecks:Notifications:DisableInitialBackoff must be positive and DisableMaxBackoff at least that and under 7 days.")
            .Validate(o => o.UrlHealthCacheDuration >= TimeSpan.Zero, "StatusChecks:Notifications:UrlHealthCacheDuration must not be negative.")
            .ValidateOnStart();

        services.Replace(ServiceDescriptor.Singleton<IMergeRequestEvents, QueueMergeRequestEvents>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<INotificationQueues, NotificationQueues>();
        services.AddSingleton<IDeliveryStore, TableDeliveryStore>();
        services.AddSingleton<IUrlHealthStore, TableUrlHealthStore>();
        services.AddSingleton<UrlHealthTracker>();
        services.AddSingleton<HostSlots>();
        services.AddSingleton<DeliveryAttempts>();
        services.AddSingleton<MergeRequestHookPayload>();
        services.AddSingleton<NetworkGuard>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<INotificationFanOut, NotificationFanOut>();
        services.AddSingleton<IDeliveryProcessor, DeliveryProcessor>();
        services.AddSingleton<IDeliveryLogService, DeliveryLogService>();

        // Deliveries: SSRF-checked connections (see NetworkGuard), never a proxy or a redirect, no request logging
        // (URLs may carry tokens), and the per-request timeout as a resilience strategy. Retries are queue messages.
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                ConnectCallback = provider.GetRequiredService<NetworkGuard>().ConnectAsync,
            })
            .RemoveAllLoggers()
            .AddResilienceHandler(
                "delivery",
                (pipeline, context) => pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.RequestTimeout));
        return services;
    }
}
