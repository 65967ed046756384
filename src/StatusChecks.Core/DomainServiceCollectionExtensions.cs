using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core;

public static class DomainServiceCollectionExtensions
{
    /// <summary>
    /// Registers the domain services (IAuthenticator, IProjectService, ...) over Table Storage. Needs the
    /// storage clients of <see cref="StorageServiceCollectionExtensions.AddStatusChecksStorage"/> as well.
    /// Replace <see cref="IMergeRequestEvents"/> (registered with TryAdd) to send notifications.
    /// </summary>
    public static IServiceCollection AddStatusChecksDomain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusChecksOptions>()
            // Before Bind, so a configured StatusChecks:WebBaseUrl wins over the platform's host name.
            .Configure(options => options.WebBaseUrl = StatusChecksOptions.DefaultWebBaseUrl(configuration[StatusChecksOptions.PlatformHostNameSetting]))
            .Bind(configuration.GetSection(StatusChecksOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StatusChecksOptions>, StatusChecksOptionsValidation>());
        // Table names are the prefix plus a fixed word, and table names must be alphanumeric.
        services.AddOptions<StorageOptions>()
            .Validate(options => options.NamePrefix.All(char.IsAsciiLetterOrDigit), "StatusChecks:Storage:NamePrefix must be alphanumeric.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMergeRequestEvents, LoggingMergeRequestEvents>();
        services.TryAddSingleton<IGitLabBridgeHooks>(NoGitLabBridgeHooks.Instance);
        services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();

        services.AddSingleton<StatusChecksTables>();
        services.AddSingleton<AccessCache>();
        services.AddSingleton<IIdGenerator, BlockIdGenerator>();
        services.AddSingleton<IProjectStore, TableProjectStore>();
        services.AddSingleton<IUserStore, TableUserStore>();
        services.AddSingleton<IMemberStore, TableMemberStore>();
        services.AddSingleton<IProtectedBranchStore, TableProtectedBranchStore>();
        services.AddSingleton<IStatusCheckStore, TableStatusCheckStore>();
        services.AddSingleton<IMergeRequestStore, TableMergeRequestStore>();
        services.AddSingleton<ICheckResponseStore, TableCheckResponseStore>();

        services.AddSingleton<Shapes>();
        services.AddSingleton<IProjectAccess, ProjectAccess>();
        services.AddSingleton<MergeRequestEvaluator>();
        services.AddSingleton<IAuthenticator, Authenticator>();
        services.AddSingleton<IProjectService, ProjectService>();
        services.AddSingleton<IUserService, UserService>();
        services.AddSingleton<IMemberService, MemberService>();
        services.AddSingleton<IProtectedBranchService, ProtectedBranchService>();
        services.AddSingleton<IMergeRequestService, MergeRequestService>();
        services.AddSingleton<IStatusCheckService, StatusCheckService>();
        return services;
    }
}
