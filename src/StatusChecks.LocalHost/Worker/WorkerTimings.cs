using System.Diagnostics;

namespace StatusChecks.LocalHost.Worker;

/// <summary>Start-up timings of the current worker process: start -> ready, and start -> first served request.</summary>
internal sealed class WorkerTimings
{
    private long startedAt = Stopwatch.GetTimestamp();
    private int firstRequestSeen;

    public TimeSpan SinceWorkerStart => Stopwatch.GetElapsedTime(Interlocked.Read(ref startedAt));

    public void WorkerStarting()
    {
        Interlocked.Exchange(ref startedAt, Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref firstRequestSeen, 0);
    }

    /// <summary>The time since worker start the first time it is called per worker process, else null.</summary>
    public TimeSpan? FirstRequestServed() =>
        Interlocked.Exchange(ref firstRequestSeen, 1) == 0 ? SinceWorkerStart : null;
}
