using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StatusChecks.Benchmarks.Stack;

/// <summary>One webhook as a sink received it; <see cref="Timestamp"/> is a <see cref="Stopwatch"/> timestamp.</summary>
internal sealed record Receipt(int Sink, long Timestamp, byte[] Body)
{
    /// <summary>The MR HEAD the notification is about (object_attributes.last_commit.id).</summary>
    public string Sha()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.GetProperty("object_attributes").GetProperty("last_commit").GetProperty("id").GetString() ?? "";
    }
}

/// <summary>
/// N external status check services in one Kestrel server, one loopback port each, answering 200 (at once, or after
/// a set delay) and recording every POST (which sink, when it arrived, the body).
/// </summary>
internal sealed class WebhookSinks : IAsyncDisposable
{
    private readonly TimeSpan answerDelay;
    private WebApplication? app;
    private Dictionary<int, int> sinkByPort = [];
    private volatile ConcurrentQueue<Receipt> received = new();

    private WebhookSinks(TimeSpan answerDelay) => this.answerDelay = answerDelay;

    /// <summary>Each sink's webhook URL, by sink index.</summary>
    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    public IReadOnlyCollection<Receipt> Received => received;

    /// <param name="answerDelay">How long each sink takes to answer (a real service is not in-memory); zero by default.</param>
    public static async Task<WebhookSinks> StartAsync(int count, TimeSpan answerDelay = default)
    {
        var sinks = new WebhookSinks(answerDelay);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < count; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0); // the OS picks free ports
            }
        });
        sinks.app = builder.Build();
        sinks.app.MapPost("/{**path}", sinks.ReceiveAsync);
        await sinks.app.StartAsync();
        sinks.Urls = sinks.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(new Uri(address), "/hook"))
            .OrderBy(url => url.Port)
            .ToList();
        sinks.sinkByPort = sinks.Urls.Select((url, sink) => (url.Port, sink)).ToDictionary(p => p.Port, p => p.sink);
        return sinks;
    }

    /// <summary>A client as plain as the loops that compare with the service: no proxy, cookies or redirects.</summary>
    public static HttpClient CreatePlainClient() =>
        new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false });

    /// <summary>POSTs a received body again to the sink that received it; throws unless it answers 2xx.</summary>
    public async Task ReplayAsync(HttpClient http, Receipt receipt, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(receipt.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(Urls[receipt.Sink], content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Forgets what was received so far.</summary>
    public void Clear() => received = new();

    /// <summary>Waits until <paramref name="done"/> holds for what was received; false on timeout.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyCollection<Receipt>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done(received))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Records the POST and answers 200 (the default status) with no body.</summary>
    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        received.Enqueue(new Receipt(sinkByPort[context.Connection.LocalPort], Stopwatch.GetTimestamp(), body.ToArray()));
        if (answerDelay > TimeSpan.Zero)
        {
            await Task.Delay(answerDelay, context.RequestAborted);
        }
    }
}
