namespace StatusChecks.Benchmarks.Measurement;

/// <summary>Samples one process's VmRSS at a fixed interval until disposed.</summary>
#pragma warning disable CA1001 // the token source is cancelled, never registered with: nothing to release
internal sealed class RssSampler : IAsyncDisposable
#pragma warning restore CA1001
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly List<long> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private RssSampler(int pid) => loop = SampleAsync(pid);

    public IReadOnlyList<long> Samples => samples;

    public static RssSampler Start(int pid) => new(pid);

    /// <summary>Stops sampling (idempotent); <see cref="Samples"/> is complete afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
    }

    private async Task SampleAsync(int pid)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (ProcFs.ResidentBytes(pid) is { } bytes)
            {
                samples.Add(bytes);
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
