using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

public static class BridgeServiceCollectionExtensions
{
    /// <summary>
    /// (extension, docs/API.md (The GitLab bridge)) The GitLab bridge: link routes, the webhook receiver and mirror, and the commit status
    /// reporter, which replaces the domain's no-op report hooks. Needs AddStatusChecksDomain and AddStatusChecksNotifications
    /// (its queues, SSRF-guarded client, retry schedule).
    /// </summary>
    public static IServiceCollection AddStatusChecksGitLabBridge(this IServiceCollection services)
    {
        services.AddSingleton<IGitLabBridgeStore, TableGitLabBridgeStore>();
        services.AddSingleton<IGitLabLinkService, GitLabLinkService>();
        services.AddSingleton<IGitLabWebhookReceiver, GitLabWebhookReceiver>();
        services.AddSingleton<IGitLabEventProcessor, GitLabEventProcessor>();
        services.AddSingleton<IMergeRequestMirror>(provider => (MergeRequestService)provider.GetRequiredService<IMergeRequestService>());
        services.AddSingleton<GitLabCommitStatusClient>();
        services.AddSingleton<CommitStatusReporter>();
        services.AddSingleton<ICommitStatusProcessor>(provider => provider.GetRequiredService<CommitStatusReporter>());
        services.Replace(ServiceDescriptor.Singleton<IGitLabBridgeHooks>(provider => provider.GetRequiredService<CommitStatusReporter>()));
        return services;
    }
}
