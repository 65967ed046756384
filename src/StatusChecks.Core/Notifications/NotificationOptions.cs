namespace StatusChecks.Core.Notifications;

/// <summary>The <c>StatusChecks:Notifications</c> section (docs/API.md (Notifications; the README's Configuration)).</summary>
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

    /// <summary>
    /// How long the fan-out waits with no delivery of an event finishing before it records the finished ones and
    /// hands the rest over (they go on in the background, watched by a queue message): a slow URL never holds up the
    /// batch for long, and a busy instance whose posts keep finishing is not cut off.
    /// </summary>
    public TimeSpan InlineDeliveryWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries in flight per URL host (scheme, host, port) per instance (docs/API.md (Notifications), fairness).</summary>
    public int MaxInFlightPerHost { get; set; } = 8;

    /// <summary>Consecutive failures of a URL tolerated before it is temporarily disabled (GitLab: 3).</summary>
    public int FailuresBeforeDisabling { get; set; } = 3;

    /// <summary>The first temporary disabling of a failing URL; each further failure doubles it (GitLab: 1 minute).</summary>
    public TimeSpan DisableInitialBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest temporary disabling (GitLab: 1 day).</summary>
    public TimeSpan DisableMaxBackoff { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an instance trusts its copy of a URL's shared failure state.</summary>
    public TimeSpan UrlHealthCacheDuration { get; set; } = TimeSpan.FromSeconds(10);
}
