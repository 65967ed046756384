using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;

namespace StatusChecks.Testing;

/// <summary>A request as the sink received it.</summary>
public sealed record SinkRequest(string Method, string Path, NameValueCollection Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers[name];
}

/// <summary>
/// A local HTTP receiver (HttpListener on 127.0.0.1, a free port) standing in for an external status check service:
/// records every request and answers with the scripted statuses (the last one repeats), or never answers at all.
/// Stopped on dispose, with any request still waiting.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<SinkRequest> received = new();
    private readonly ConcurrentQueue<int> script;
    private readonly int last;
    private readonly bool silent;
    private readonly Task loop;

    private WebhookSink(int[] statuses, bool silent)
    {
        script = new ConcurrentQueue<int>(statuses);
        last = statuses.Length > 0 ? statuses[^1] : 200;
        this.silent = silent;
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/hooks/{Guid.NewGuid():N}";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public IReadOnlyList<SinkRequest> Requests => [.. received];

    /// <summary>Answers the given statuses in turn (default 200), then keeps answering the last one.</summary>
    public static WebhookSink Answering(params int[] statuses) => new(statuses, silent: false);

    /// <summary>Accepts connections and never answers (a hung service).</summary>
    public static WebhookSink Silent() => new([], silent: true);

    /// <summary>Waits until at least <paramref name="count"/> requests arrived; returns them all.</summary>
    public Task<IReadOnlyList<SinkRequest>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(received.Count >= count ? Requests : null),
            timeout ?? TimeSpan.FromSeconds(30),
            $"{count} request(s) at {Url} (got {received.Count})");

    /// <summary>Asserts that no more than <paramref name="count"/> requests arrive within <paramref name="window"/>.</summary>
    public async Task AssertNoMoreThanAsync(int count, TimeSpan window)
    {
        await Task.Delay(window);
        Assert.True(received.Count <= count, $"{Url} got {received.Count} requests, expected at most {count}.");
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Close();
        await loop;
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, stopping.Token);
            var request = context.Request;
            received.Enqueue(new SinkRequest(request.HttpMethod, request.Url!.AbsolutePath, new NameValueCollection(request.Headers), body.ToArray(), DateTimeOffset.UtcNow));
            if (silent)
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }

            context.Response.StatusCode = script.TryDequeue(out var status) ? status : last;
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // Stopping, or the client gave up (a timed-out delivery).
        }
    }
}
