using System.Globalization;

namespace StatusChecks.Benchmarks;

/// <summary>Command-line settings shared by the subcommands (each uses the ones it needs).</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/StatusChecks.Benchmarks -- <api|notifications> [options]
          api:            --clients 16  --prime 10  --warmup 3  --duration 15  --checks 20  --restarts 3   (times in seconds)
          notifications:  --events 50  --sinks 50  --updates 20  --sink-delay-ms 0
        """;

    public int Clients { get; init; } = 16;

    /// <summary>Mixed load on the API and on the floor before any phase (JIT tiering), not measured.</summary>
    public TimeSpan Prime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The start of each phase, not measured.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks applying to the benchmarked MR.</summary>
    public int Checks { get; init; } = 20;

    /// <summary>Stop/start cycles of a host for the start-up figures.</summary>
    public int Restarts { get; init; } = 3;

    /// <summary>Idle MR updates timed to the sink for the notification latency.</summary>
    public int Events { get; init; } = 50;

    public int Sinks { get; init; } = 50;

    /// <summary>MR updates (one per MR) for the throughput run: Sinks x Updates deliveries.</summary>
    public int Updates { get; init; } = 20;

    /// <summary>How long each sink takes to answer; 0 = at once (the plain loop then measures bare HTTP).</summary>
    public TimeSpan SinkDelay { get; init; } = TimeSpan.Zero;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new FormatException($"{args[i]} needs a whole number.");
            options = args[i] switch
            {
                "--clients" => options with { Clients = value },
                "--prime" => options with { Prime = TimeSpan.FromSeconds(value) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(value) },
                "--checks" => options with { Checks = value },
                "--restarts" => options with { Restarts = value },
                "--events" => options with { Events = value },
                "--sinks" => options with { Sinks = value },
                "--updates" => options with { Updates = value },
                "--sink-delay-ms" => options with { SinkDelay = TimeSpan.FromMilliseconds(value) },
                _ => throw new FormatException($"Unknown option {args[i]}."),
            };
        }

        return options is { Clients: > 0, Duration.Ticks: > 0, Checks: > 0, Events: > 0, Sinks: > 0, Updates: > 0 }
            ? options
            : throw new FormatException("--clients, --duration, --checks, --events, --sinks and --updates must be positive.");
    }
}
