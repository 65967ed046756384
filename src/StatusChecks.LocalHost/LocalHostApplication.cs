using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Http;
using StatusChecks.LocalHost.Queues;
using StatusChecks.LocalHost.Storage;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost;

/// <summary>The host's composition: configuration, Kestrel endpoints, services, and the two endpoint groups.</summary>
public static class LocalHostApplication
{
    public static WebApplicationBuilder AddLocalHost(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, LocalHostOptions.SwitchMappings);
        var options = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();
        var context = LocalHostContext.Create(options);
        var grpc = GrpcEndpoint.OnFreePort();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The worker channel (gRPC) streams without limit; HTTP requests get RequestBodyLimit's 1 MiB.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Listen(IPAddress.Loopback, grpc.Port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options).AddSingleton(context).AddSingleton(context.Host).AddSingleton(grpc);
        services.AddGrpc(ConfigureGrpc);
        services.AddSingleton<WorkerLogForwarder>();
        services.AddSingleton<WorkerChannel>();
        services.AddSingleton<IFunctionInvoker>(sp => sp.GetRequiredService<WorkerChannel>());
        services.AddSingleton<FunctionRegistry>();
        services.AddSingleton<WorkerTimings>();
        services.AddSingleton<HttpTriggerEndpoints>();

        // Started in this order (Azurite before the worker that needs it), stopped in reverse.
        services.AddHostedService<AzuriteLauncher>();
        services.AddHostedService<WorkerSupervisor>();
        services.AddHostedService<QueueTriggerListener>();
        services.AddHostedService<ParentProcessWatcher>();
        return builder;
    }

    /// <summary>No size limits on the worker channel; no gRPC catch-all routes that would shadow HTTP triggers.</summary>
    public static void ConfigureGrpc(GrpcServiceOptions options)
    {
        options.MaxReceiveMessageSize = null;
        options.MaxSendMessageSize = null;
        // Else gRPC maps a POST "{service}/{method}" catch-all that turns 405s of HTTP triggers into 404s.
        options.IgnoreUnknownServices = true;
    }

    public static WebApplication MapLocalHost(this WebApplication app)
    {
        var grpc = app.Services.GetRequiredService<GrpcEndpoint>();
        app.UseWhen(http => http.Connection.LocalPort != grpc.Port, api => api.Use(RequestBodyLimit.InvokeAsync));
        app.MapGrpcService<WorkerChannel>().RequireHost($"*:{grpc.Port}");
        ((IEndpointRouteBuilder)app).DataSources.Add(app.Services.GetRequiredService<HttpTriggerEndpoints>());

        var context = app.Services.GetRequiredService<LocalHostContext>();
        Console.WriteLine(context.AdminTokenNotice); // the one place a generated secret is shown (README.md (Configuration))
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var baseUrl = HttpTriggerEndpoints.RouteTemplate(context.Host.RoutePrefix, "");
            Console.WriteLine($"StatusChecks local host: http://127.0.0.1:{context.Options.Port}/{baseUrl}".TrimEnd('/'));
        });
        return app;
    }
}
