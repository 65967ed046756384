using StatusChecks.Benchmarks;
using StatusChecks.Benchmarks.Api;
using StatusChecks.Benchmarks.Notifications;

// Benchmarks of the running service on this machine. Figures are reported (with targets and PASS/MISS), never
// asserted: the exit code says only whether the benchmark itself could run.
if (args.Length == 0 || args[0] is not ("api" or "notifications"))
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args.Skip(1).ToList());
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the load and dispose every started process instead of dying with them running
    stop.Cancel();
};

try
{
    var table = args[0] == "api"
        ? await ApiBenchmark.RunAsync(options, stop.Token)
        : await NotificationsBenchmark.RunAsync(options, stop.Token);
    table.Print(Console.Out);
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled; every started process was stopped.");
    return 130;
}
