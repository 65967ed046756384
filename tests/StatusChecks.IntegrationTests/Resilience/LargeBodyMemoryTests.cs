using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// Issue 12 item 1: concurrent huge bodies, with and without a Content-Length, to a real route, an unknown route and
/// a path outside the API, with no token. Each is refused 413 before it is buffered, so the host and worker stay
/// small. A host of its own, so no other test's traffic moves the memory it measures.
/// </summary>
public sealed class LargeBodyMemoryTests(LargeBodyMemoryTests.Service service, ITestOutputHelper output)
    : IClassFixture<LargeBodyMemoryTests.Service>
{
    private const long BodyBytes = 95L * 1000 * 1000;
    private const long AllowedGrowth = 150L * 1024 * 1024;

    [Fact]
    public async Task HugeBodies_Concurrent_Each413BeforeBuffering_HostAndWorkerMemoryStaysFlat()
    {
        var host = service.Host;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
        using (var warm = await client.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var pids = new[] { host.Process.Id, host.WorkerProcessId };
        var baseline = Rss(pids);
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(pids));
                await Task.Delay(20);
            }
        });

        var paths = new[] { "api/projects/1/external_status_checks", "api/v4/no/such/route", "not-the-api/at-all" };
        var clock = Stopwatch.StartNew();
        var sends = paths.SelectMany(path => new[] { SendAsync(host.Port, path, chunked: false), SendAsync(host.Port, path, chunked: true) }).ToList();
        var results = await Task.WhenAll(sends);
        var elapsed = clock.Elapsed;
        await Task.Delay(500);
        sampling.Cancel();
        await sampler;

        output.WriteLine($"RSS host+worker: baseline {baseline / 1048576} MiB, peak {peak / 1048576} MiB; 6 refusals in {elapsed.TotalMilliseconds:0} ms");
        Assert.All(results, result =>
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
            Assert.Equal("application/json", result.ContentType);
            Assert.Equal("""{"message":"413 Request Entity Too Large"}""", result.Body);
        });
        Assert.True(peak - baseline < AllowedGrowth, $"host + worker grew by {(peak - baseline) / 1048576} MiB");
        Assert.True(results.All(r => r.Sent < BodyBytes), "a body was read to its end before it was refused");
    }

    /// <summary>
    /// Streams the body while reading the answer, and stops sending once the answer is in, as curl does: the host
    /// answers before the body ends (HttpClient would insist on sending all of it first).
    /// </summary>
    private static async Task<(HttpStatusCode Status, string? ContentType, string Body, long Sent)> SendAsync(int port, string path, bool chunked)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {BodyBytes}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"));

        using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var body = new GeneratedStream(BodyBytes);
        var sending = SendBodyAsync(stream, body, chunked, answered.Token);
        var response = await ReadResponseAsync(stream, answered.Token);
        await answered.CancelAsync();
        await sending;
        return (response.Status, response.ContentType, response.Body, body.Position);
    }

    private static async Task SendBodyAsync(NetworkStream stream, GeneratedStream body, bool chunked, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = body.Read(buffer)) > 0)
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{read:x}\r\n"), cancellationToken);
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                }
            }

            if (chunked)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The host answered and stopped reading: what a refusal looks like.
        }
    }

    /// <summary>An HTTP/1.1 answer with a Content-Length (as the host's own errors have).</summary>
    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> ReadResponseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "connection closed before an answer: " + Encoding.ASCII.GetString(received.ToArray()));
            received.Write(buffer, 0, read);
        }

        var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headerEnd).Split("\r\n");
        var headers = head.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = int.Parse(headers["Content-Length"]);
        while (received.Length < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "connection closed in the middle of the answer");
            received.Write(buffer, 0, read);
        }

        return ((HttpStatusCode)int.Parse(head[0].Split(' ')[1]), headers.GetValueOrDefault("Content-Type"),
            Encoding.UTF8.GetString(received.GetBuffer(), headerEnd + 4, length));
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value) =>
        stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(value);

    /// <summary>Sum of VmRSS (bytes) of the given processes, from /proc.</summary>
    private static long Rss(IEnumerable<int> pids) => pids.Sum(pid =>
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    });

    /// <summary>A JSON-ish body of the given length made up as it is read: nothing of that size is ever allocated.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => Interlocked.Read(ref position); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - position);
            buffer[..n].Fill((byte)'a');
            if (position == 0 && n > 0)
            {
                buffer[0] = (byte)'"';
            }

            Interlocked.Add(ref position, n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A service of its own, with the deployed settings.</summary>
    public sealed class Service : IsolatedService
    {
    }
}
