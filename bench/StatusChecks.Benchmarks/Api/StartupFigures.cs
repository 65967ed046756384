using System.Globalization;
using System.Text.RegularExpressions;
using StatusChecks.Benchmarks.Measurement;
using StatusChecks.Testing;

namespace StatusChecks.Benchmarks.Api;

/// <summary>
/// One host start: the worker's own "Worker ready in n ms", the host's "First request served n ms after the worker
/// process started" (the fixture's health request), and the fixture's process start to first 200 from /api/health.
/// </summary>
internal sealed partial record StartupFigures(double WorkerReadyMs, double FirstRequestMs, double StartToHealthMs)
{
    public static async Task<StartupFigures> ReadAsync(LocalHostInstance host)
    {
        var ready = await host.Process.WaitForLineAsync("Worker ready in", TimeSpan.FromSeconds(5));
        // Logged just after the health response is written: it may trail the fixture's return by a moment.
        var first = await host.Process.WaitForLineAsync("First request served", TimeSpan.FromSeconds(5));
        return new StartupFigures(Number(WorkerReady().Match(ready)), Number(FirstRequest().Match(first)), host.Startup.TotalMilliseconds);
    }

    /// <summary>The first start (cold: nothing of the app in the disk cache yet unless built just now) and the restarts.</summary>
    public static void AddRows(ResultTable table, IReadOnlyList<StartupFigures> starts)
    {
        Add(table, "Start: worker ready (worker process start -> functions loaded)", starts, s => s.WorkerReadyMs);
        Add(table, "Start: first response (worker process start -> first request served)", starts, s => s.FirstRequestMs);
        Add(table, "Start: host process start -> first 200 from /api/health", starts, s => s.StartToHealthMs);
    }

    private static void Add(ResultTable table, string measure, IReadOnlyList<StartupFigures> starts, Func<StartupFigures, double> figure)
    {
        var restarts = starts.Skip(1).Select(figure).Order().ToList();
        var result = $"first {ResultTable.Ms(figure(starts[0]))}";
        if (restarts.Count > 0)
        {
            result += $"; {restarts.Count} restarts: median {ResultTable.Ms(Percentiles.Of(restarts, 50))}, max {ResultTable.Ms(restarts[^1])}";
        }

        table.Add(measure, result, "(reported)");
    }

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    [GeneratedRegex(@"Worker ready in (\d+) ms")]
    private static partial Regex WorkerReady();

    [GeneratedRegex(@"First request served (\d+) ms after the worker process started")]
    private static partial Regex FirstRequest();
}
