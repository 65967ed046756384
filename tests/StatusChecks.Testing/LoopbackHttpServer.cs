using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StatusChecks.Testing;

/// <summary>
/// An HTTP server on 127.0.0.1 (Kestrel, as fast as the service it stands beside) that hands every request to one
/// handler: the base of the webhook sink and the fake GitLab. Listens on one or more ports (free ones the OS picks,
/// or a given one); on dispose, handlers still waiting are cancelled (<see cref="Stopping"/>) and the server stops.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();

    private LoopbackHttpServer(WebApplication app) => this.app = app;

    /// <summary>One base address per port (<c>http://127.0.0.1:port/</c>), in the order of the ports.</summary>
    public IReadOnlyList<Uri> BaseAddresses { get; private set; } = [];

    public Uri BaseAddress => BaseAddresses[0];

    /// <summary>Cancelled when the server is being stopped.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <param name="handle">Answers one request; the response is sent when it returns.</param>
    /// <param name="ports">How many ports to listen on (free ones); ignored when <paramref name="port"/> is given.</param>
    /// <param name="port">A fixed port (e.g. for a documented walk-through).</param>
    public static async Task<LoopbackHttpServer> StartAsync(RequestDelegate handle, int ports = 1, int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < (port is null ? ports : 1); i++)
            {
                kestrel.Listen(IPAddress.Loopback, port ?? 0); // 0: the OS picks a free port
            }
        });
        var server = new LoopbackHttpServer(builder.Build());
        server.app.Run(handle);
        await server.app.StartAsync();
        server.BaseAddresses = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)))
            .OrderBy(address => address.Port)
            .ToList();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
