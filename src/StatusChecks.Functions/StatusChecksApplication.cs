using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using StatusChecks.Core;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Storage;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions;

public static class StatusChecksApplication
{
    /// <summary>Everything the function app registers, in one place, so Program.cs stays a few lines.</summary>
    public static FunctionsApplicationBuilder AddStatusChecks(this FunctionsApplicationBuilder builder)
    {
        builder.Services
            .AddStatusChecksStorage(builder.Configuration)
            .AddStatusChecksDomain(builder.Configuration)
            .AddStatusChecksNotifications(builder.Configuration)
            .AddStatusChecksGitLabBridge();
        builder.UseGitLabErrorResponses();
        return builder;
    }
}
