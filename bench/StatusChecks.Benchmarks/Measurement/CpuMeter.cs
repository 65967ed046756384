using System.Globalization;

namespace StatusChecks.Benchmarks.Measurement;

/// <summary>CPU time the named processes use while measured: where a phase's cycles went.</summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> processes)
{
    private readonly Dictionary<string, (TimeSpan Cpu, long Operations)> totals = [];

    public Task<LoadResult> MeasureAsync(string name, Func<Task<LoadResult>> phase) => MeasureAsync(name, phase, result => result.Operations);

    /// <summary>Adds the CPU the processes use while <paramref name="phase"/> runs to <paramref name="name"/>'s total.</summary>
    public async Task<T> MeasureAsync<T>(string name, Func<Task<T>> phase, Func<T, long> operations)
    {
        var before = Snapshot();
        var result = await phase();
        foreach (var (process, cpu) in Snapshot())
        {
            var key = $"{name}|{process}";
            var total = totals.GetValueOrDefault(key);
            totals[key] = (total.Cpu + cpu - before.GetValueOrDefault(process), total.Operations + operations(result));
        }

        return result;
    }

    /// <summary>"azurite 2.10 ms, worker 1.50 ms, ..." CPU per operation of everything measured under <paramref name="name"/>.</summary>
    public string PerOperation(string name) =>
        string.Join(", ", totals.Where(t => t.Key.StartsWith(name + "|", StringComparison.Ordinal)).Select(t =>
            $"{t.Key[(name.Length + 1)..]} {(t.Value.Cpu.TotalMilliseconds / Math.Max(1, t.Value.Operations)).ToString("0.00", CultureInfo.InvariantCulture)} ms"));

    private Dictionary<string, TimeSpan> Snapshot() =>
        processes.Select(p => (p.Key, Cpu: ProcFs.CpuTime(p.Value))).Where(p => p.Cpu is not null).ToDictionary(p => p.Key, p => p.Cpu!.Value);
}
