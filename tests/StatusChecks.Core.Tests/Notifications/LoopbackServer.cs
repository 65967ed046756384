using System.Net;
using StatusChecks.Testing;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>An HTTP server on 127.0.0.1 that answers every request with <c>respond</c>; stopped on dispose.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private int requests;

    private LoopbackServer(Func<HttpListenerContext, CancellationToken, Task> respond)
    {
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(async () =>
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

                Interlocked.Increment(ref requests);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await respond(context, stopping.Token);
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                    {
                    }
                });
            }
        });
    }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref requests);

    public static LoopbackServer Answering(int status, string? location = null) => new((context, _) =>
    {
        context.Response.StatusCode = status;
        if (location is not null)
        {
            context.Response.RedirectLocation = location;
        }

        return Task.CompletedTask;
    });

    /// <summary>Accepts requests and never answers.</summary>
    public static LoopbackServer Silent() => new((_, stop) => Task.Delay(Timeout.Infinite, stop));

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Close();
        await loop;
        stopping.Dispose();
    }
}
