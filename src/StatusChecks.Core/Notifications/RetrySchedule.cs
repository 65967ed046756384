using System.Globalization;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// Delays before the retries of a failed delivery (exponential by default: 10 s, 30 s, 1 min, 5 min, 15 min).
/// Retries are queue messages made visible after the delay, never sleeps in a function.
/// </summary>
public sealed record RetrySchedule(IReadOnlyList<TimeSpan> Delays)
{
    // A queue message cannot stay invisible longer than 7 days.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>Attempts per round: the first one and one per delay.</summary>
    public int MaxAttempts => Delays.Count + 1;

    /// <summary>"00:00:10,00:00:30" (TimeSpan's invariant format); empty or blank = no retries.</summary>
    public static bool TryParse(string? text, out RetrySchedule schedule)
    {
        schedule = new RetrySchedule([]);
        var delays = new List<TimeSpan>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero || delay >= MaxDelay)
            {
                return false;
            }

            delays.Add(delay);
        }

        schedule = new RetrySchedule(delays);
        return true;
    }

    public static RetrySchedule Parse(string? text) =>
        TryParse(text, out var schedule) ? schedule : throw new FormatException($"'{text}' is not a retry schedule (comma-separated hh:mm:ss delays).");

    /// <summary>
    /// The delay before the retry that follows the <paramref name="attemptInRound"/>-th attempt (1-based) of a round,
    /// or null when that attempt was the last one.
    /// </summary>
    public TimeSpan? DelayAfter(int attemptInRound) =>
        attemptInRound >= 1 && attemptInRound <= Delays.Count ? Delays[attemptInRound - 1] : null;
}
