namespace StatusChecks.Core.Notifications;

/// <summary>How long a fan-out waits for the deliveries it sends inline before it records them.</summary>
internal static class InlineWait
{
    /// <summary>
    /// Waits while the sends keep finishing: until all are done, or a whole <paramref name="idle"/> passes with none
    /// finishing (the rest are slow URLs: they go on in the background), or <paramref name="max"/> has passed. So a
    /// slow URL holds the batch for little more than <paramref name="idle"/>, and a busy instance, where even fast URLs
    /// take longer than that, still records its deliveries in one batch instead of handing each to a watchdog message.
    /// </summary>
    public static async Task WhileFinishingAsync(IReadOnlyList<Task> sends, TimeSpan idle, TimeSpan max, TimeProvider time)
    {
        var all = Task.WhenAll(sends);
        var until = time.GetUtcNow() + max;
        var finished = 0;
        while (!all.IsCompleted && time.GetUtcNow() < until)
        {
            using (var wait = new CancellationTokenSource())
            {
                await Task.WhenAny(all, Task.Delay(idle, time, wait.Token));
                await wait.CancelAsync();
            }

            var now = sends.Count(send => send.IsCompleted);
            if (now == finished)
            {
                return; // none finished in a whole wait
            }

            finished = now;
        }
    }
}
