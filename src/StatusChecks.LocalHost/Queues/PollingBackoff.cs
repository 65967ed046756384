namespace StatusChecks.LocalHost.Queues;

/// <summary>
/// Idle polling delay of a queue listener: starts at 100 ms, doubles while the queue stays empty, never exceeds
/// maxPollingInterval, and starts over as soon as a message arrives.
/// </summary>
public sealed class PollingBackoff(TimeSpan maxInterval)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private TimeSpan current = TimeSpan.Zero;

    public TimeSpan Next()
    {
        var next = current == TimeSpan.Zero ? MinInterval : current * 2;
        current = next > maxInterval ? maxInterval : next;
        return current;
    }

    public void Reset() => current = TimeSpan.Zero;
}
