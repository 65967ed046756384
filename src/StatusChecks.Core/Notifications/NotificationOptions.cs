namespace StatusChecks.Core.Notifications;

/// <summary>The <c>StatusChecks:Notifications</c> section (SPEC sections 3 and 5).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "StatusChecks:Notifications";

    /// <summary>Lifts the SSRF guard (loopback, private, link-local, ... targets); for local development and tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>A delivery succeeds only with a 2xx within this time.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Comma-separated delays before each retry of a failed delivery; empty = no retries (see <see cref="Notifications.RetrySchedule"/>).</summary>
    public string RetrySchedule { get; set; } = "00:00:10,00:00:30,00:01:00,00:05:00,00:15:00";

    /// <summary>How long the fan-out waits for the write an event was published for to become visible.</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest wait between two looks for such a write.</summary>
    public TimeSpan CommitPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
