using Microsoft.Extensions.Time.Testing;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>
/// The fan-out's inline wait on a fake clock: time moves in 100 ms steps (with a real pause between steps, so the wait's
/// next timer is set before the clock moves on), and the sends finish at given points of it.
/// </summary>
public sealed class InlineWaitTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SendsKeepFinishingEachSecond_WaitsForTheLast()
    {
        // A busy instance: each send takes longer than the idle wait, but one finishes in every second.
        var finishAt = new[] { 0.5, 1.5, 2.5, 3.4 };

        var endedAt = await RunAsync(finishAt);

        Assert.Equal(3.4, endedAt, 1);
    }

    [Fact]
    public async Task OneSendNeverFinishes_GivesUpAfterAWholeIdleWaitWithoutProgress()
    {
        // A slow URL beside fast ones: the fast ones finish at once, then nothing for a whole second.
        var endedAt = await RunAsync([0.1, 0.2, double.PositiveInfinity]);

        Assert.InRange(endedAt, 1.0, 2.2);
    }

    [Fact]
    public async Task ProgressWithoutEnd_StopsAtTheMaximum()
    {
        var finishAt = Enumerable.Range(1, 30).Select(i => i * 0.5).ToArray(); // one every 0.5 s, for 15 s

        var endedAt = await RunAsync(finishAt);

        Assert.InRange(endedAt, Max.TotalSeconds, Max.TotalSeconds + Idle.TotalSeconds + 0.2);
    }

    /// <summary>Runs the wait over sends finishing at the given seconds; returns the second at which it ended.</summary>
    private async Task<double> RunAsync(double[] finishAt)
    {
        var sends = finishAt.Select(_ => new TaskCompletionSource()).ToList();
        var start = time.GetUtcNow();
        double Elapsed() => (time.GetUtcNow() - start).TotalSeconds;
        var wait = InlineWait.WhileFinishingAsync(sends.Select(send => send.Task).ToList(), Idle, Max, time);
        while (!wait.IsCompleted && Elapsed() < 30)
        {
            for (var i = 0; i < sends.Count; i++)
            {
                if (Elapsed() >= finishAt[i] - 1e-9)
                {
                    sends[i].TrySetResult();
                }
            }

            await Task.Delay(20); // the wait's continuation runs and sets its next timer
            if (!wait.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        Assert.True(wait.IsCompleted, "the wait never ended");
        return Elapsed();
    }
}
