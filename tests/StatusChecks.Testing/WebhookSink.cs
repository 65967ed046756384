using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace StatusChecks.Testing;

/// <summary>A request as the sink received it; <see cref="Timestamp"/> is a <see cref="Stopwatch"/> timestamp.</summary>
public sealed record SinkRequest(
    int Endpoint, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt, long Timestamp)
{
    private volatile bool answered;

    /// <summary>The sink's answer went out (false while it waits, and for a request whose sender went away).</summary>
    public bool Answered => answered;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal void MarkAnswered() => answered = true;
}

/// <summary>How a <see cref="WebhookSink"/> answers.</summary>
public sealed record WebhookSinkOptions
{
    /// <summary>The statuses answered in turn; the last one repeats.</summary>
    public IReadOnlyList<int> Statuses { get; init; } = [200];

    /// <summary>How long each answer takes (a real service is not in-memory).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Never answer (a hung service): the request waits until the sender gives up or the sink stops.</summary>
    public bool Silent { get; init; }

    /// <summary>A Location header to answer with (for redirects).</summary>
    public string? Location { get; init; }

    /// <summary>How many endpoints (ports) to listen on: one sink per external service, in one server.</summary>
    public int Endpoints { get; init; } = 1;
}

/// <summary>
/// The one stand-in for external status check services, shared by the tests and the benchmarks: an HTTP server on
/// 127.0.0.1 (free ports) that records every request (which endpoint, when, headers, body) and answers as
/// <see cref="WebhookSinkOptions"/> says. Stopped on dispose, with any request still waiting cut off.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebhookSinkOptions options;
    private readonly ConcurrentQueue<int> script;
    private readonly int last;
    private LoopbackHttpServer? server;
    private Dictionary<int, int> endpointByPort = [];
    private volatile ConcurrentQueue<SinkRequest> received = new();

    private WebhookSink(WebhookSinkOptions options)
    {
        this.options = options;
        script = new ConcurrentQueue<int>(options.Statuses);
        last = options.Statuses.Count > 0 ? options.Statuses[^1] : 200;
    }

    /// <summary>Each endpoint's webhook URL (a unique path on its own port), by endpoint index.</summary>
    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    /// <summary>The first endpoint's webhook URL.</summary>
    public string Url => Urls[0].ToString();

    /// <summary>What was received so far (since the last <see cref="Clear"/>), in arrival order.</summary>
    public IReadOnlyList<SinkRequest> Requests => [.. received];

    /// <summary>Answers the given statuses in turn (default 200), then keeps answering the last one.</summary>
    public static Task<WebhookSink> AnsweringAsync(params int[] statuses) =>
        StartAsync(new WebhookSinkOptions { Statuses = statuses.Length > 0 ? statuses : [200] });

    /// <summary>Accepts requests and never answers (a hung service).</summary>
    public static Task<WebhookSink> SilentAsync() => StartAsync(new WebhookSinkOptions { Silent = true });

    public static async Task<WebhookSink> StartAsync(WebhookSinkOptions options)
    {
        var sink = new WebhookSink(options);
        sink.server = await LoopbackHttpServer.StartAsync(sink.ReceiveAsync, options.Endpoints);
        var hook = $"hooks/{Guid.NewGuid():N}";
        sink.Urls = sink.server.BaseAddresses.Select(address => new Uri(address, hook)).ToList();
        sink.endpointByPort = sink.Urls.Select((url, endpoint) => (url.Port, endpoint)).ToDictionary(p => p.Port, p => p.endpoint);
        return sink;
    }

    /// <summary>Forgets what was received so far.</summary>
    public void Clear() => received = new();

    /// <summary>Waits until at least <paramref name="count"/> requests arrived; returns them all.</summary>
    public Task<IReadOnlyList<SinkRequest>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(received.Count >= count ? Requests : null),
            timeout ?? TimeSpan.FromSeconds(30),
            $"{count} request(s) at {Url} (got {received.Count})");

    /// <summary>Waits until <paramref name="done"/> holds for what was received; false on timeout.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyList<SinkRequest>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done(Requests))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken);
        }

        return true;
    }

    /// <summary>Asserts that no more than <paramref name="count"/> requests arrive within <paramref name="window"/>.</summary>
    public async Task AssertNoMoreThanAsync(int count, TimeSpan window)
    {
        await Task.Delay(window);
        Assert.True(received.Count <= count, $"{Url} got {received.Count} requests, expected at most {count}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(server!.Stopping, context.RequestAborted);
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, waiting.Token);
            var request = new SinkRequest(
                endpointByPort[context.Connection.LocalPort],
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(),
                DateTimeOffset.UtcNow,
                Stopwatch.GetTimestamp());
            received.Enqueue(request);
            if (options.Silent)
            {
                await Task.Delay(Timeout.Infinite, waiting.Token);
            }

            if (options.Delay > TimeSpan.Zero)
            {
                await Task.Delay(options.Delay, waiting.Token);
            }

            context.Response.StatusCode = script.TryDequeue(out var status) ? status : last;
            if (options.Location is not null)
            {
                context.Response.Headers.Location = options.Location;
            }

            await context.Response.CompleteAsync();
            request.MarkAnswered();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The sender gave up (a timed-out or killed sender) or the sink is stopping: no answer at all.
            context.Abort();
        }
    }
}
