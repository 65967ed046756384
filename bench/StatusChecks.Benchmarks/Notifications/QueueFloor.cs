using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using StatusChecks.Benchmarks.Stack;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Notifications;

/// <summary>
/// The floor of "one queue message per delivery" on this storage: for each body one message sent, received (32 at a
/// time, as the host polls), the body POSTed to its sink, the message deleted; no function, no Table row. What the
/// fan-out can reach at best, next to the plain loop that has no queue at all.
/// </summary>
internal static class QueueFloor
{
    private const int ReceiveBatch = 32; // the queue service's maximum

    public static async Task<double> MeasureAsync(
        string connectionString, WebhookSink sinks, IReadOnlyList<SinkRequest> bodies, int concurrency, CancellationToken cancellationToken)
    {
        var queue = new QueueClient(connectionString, "bench-floor-" + Guid.NewGuid().ToString("N")[..8]);
        await queue.CreateAsync(cancellationToken: cancellationToken);
        using var http = SinkReplay.CreatePlainClient();
        try
        {
            await RunAsync(queue, http, sinks, bodies.Take(100).ToList(), concurrency, cancellationToken); // warm-up
            var started = Stopwatch.GetTimestamp();
            await RunAsync(queue, http, sinks, bodies, concurrency, cancellationToken);
            return bodies.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            await queue.DeleteIfExistsAsync(CancellationToken.None);
        }
    }

    /// <summary>Producers and consumers run together, as the fan-out's sends overlap its deliveries.</summary>
    private static async Task RunAsync(
        QueueClient queue, HttpClient http, WebhookSink sinks, IReadOnlyList<SinkRequest> bodies, int concurrency, CancellationToken cancellationToken)
    {
        var produce = Parallel.ForEachAsync(Enumerable.Range(0, bodies.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (index, ct) =>
            await queue.SendMessageAsync(index.ToString(CultureInfo.InvariantCulture), ct));

        // Two pollers, so one batch's POSTs overlap the next receive, each with half the host's concurrency.
        var perPoller = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency / 2), CancellationToken = cancellationToken };
        var delivered = 0;
        async Task ConsumeAsync()
        {
            while (Volatile.Read(ref delivered) < bodies.Count)
            {
                var batch = (await queue.ReceiveMessagesAsync(ReceiveBatch, TimeSpan.FromSeconds(30), cancellationToken)).Value;
                if (batch.Length == 0)
                {
                    await Task.Delay(10, cancellationToken);
                    continue;
                }

                await Parallel.ForEachAsync(batch, perPoller, async (message, ct) =>
                {
                    await sinks.ReplayAsync(http, bodies[int.Parse(message.MessageText, CultureInfo.InvariantCulture)], ct);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    Interlocked.Increment(ref delivered);
                });
            }
        }

        await Task.WhenAll(produce, ConsumeAsync(), ConsumeAsync());
    }
}
