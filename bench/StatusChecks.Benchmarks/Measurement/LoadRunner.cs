using System.Diagnostics;

namespace StatusChecks.Benchmarks.Measurement;

/// <summary>Throughput, latency and errors of one load phase (or of several runs of it, combined).</summary>
/// <param name="Latencies">Of the successes within the measured window, in ms, sorted.</param>
/// <param name="Operations">Completed in the whole phase, warm-up included (for CPU per operation).</param>
internal sealed record LoadResult(string Name, IReadOnlyList<double> Latencies, int Errors, long Operations, TimeSpan Duration, string? FirstError)
{
    /// <summary>Completed within the measured window (successes and errors).</summary>
    public int Requests => Latencies.Count + Errors;

    public double PerSecond => Requests / Duration.TotalSeconds;

    public double P50Ms => Percentiles.Of(Latencies, 50);

    public double P99Ms => Percentiles.Of(Latencies, 99);

    public LoadResult Combine(LoadResult other) =>
        new(Name, Latencies.Concat(other.Latencies).Order().ToList(), Errors + other.Errors, Operations + other.Operations, Duration + other.Duration, FirstError ?? other.FirstError);
}

/// <summary>
/// Closed-loop load: N clients each run the operation back to back for warm-up + duration. Only operations that
/// start after the warm-up and end before the deadline count, so throughput is completions per second of the window.
/// </summary>
internal static class LoadRunner
{
    /// <param name="operation">(client, iteration) -> true for a success (e.g. a 2xx); an exception is an error too.</param>
    public static async Task<LoadResult> RunAsync(
        string name, int clients, TimeSpan warmup, TimeSpan duration, Func<int, long, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var deadline = warmup + duration;
        var errors = 0;
        long operations = 0;
        string? firstError = null;

        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var latencies = new List<double>();
            for (long iteration = 0; clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested; iteration++)
            {
                var started = clock.Elapsed;
                bool succeeded;
                string? error = null;
                try
                {
                    succeeded = await operation(client, iteration, cancellationToken);
                    error = succeeded ? null : "unexpected status";
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    succeeded = false;
                    error = e.GetType().Name + ": " + e.Message;
                }

                var ended = clock.Elapsed;
                Interlocked.Increment(ref operations);
                if (started < measureFrom || ended > deadline)
                {
                    continue;
                }

                if (succeeded)
                {
                    latencies.Add((ended - started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }

            return latencies;
        }, cancellationToken)));

        cancellationToken.ThrowIfCancellationRequested();
        return new LoadResult(name, perClient.SelectMany(l => l).Order().ToList(), errors, operations, duration, firstError);
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of sorted values (NaN when there are none).</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
