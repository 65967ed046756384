using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// The failure state of one external URL, shared by every instance. Keyed by the SHA-256 of the URL: neither the
/// URL (its query may hold a token) nor any secret is stored.
/// </summary>
internal sealed record UrlHealthState(int ConsecutiveFailures, DateTimeOffset? DisabledUntil)
{
    public static UrlHealthState Healthy { get; } = new(0, null);

    public bool IsDisabled(DateTimeOffset now) => DisabledUntil is { } until && until > now;
}

/// <summary>
/// GitLab's rules for failing webhooks (<c>WebHooks::AutoDisabling</c>): the first
/// <see cref="NotificationOptions.FailuresBeforeDisabling"/> consecutive failures are tolerated; each further one
/// disables the URL for <see cref="NotificationOptions.DisableInitialBackoff"/>, doubled per further failure, at most
/// <see cref="NotificationOptions.DisableMaxBackoff"/>; failures while disabled do not count; a success resets.
/// Unlike GitLab, a URL is never disabled for good: it comes back on its own when the period ends (docs/API.md (Notifications)).
/// </summary>
internal static class UrlHealthRules
{
    public static UrlHealthState AfterFailure(UrlHealthState state, DateTimeOffset now, NotificationOptions options)
    {
        if (state.IsDisabled(now))
        {
            return state;
        }

        var failures = Math.Min(state.ConsecutiveFailures + 1, 1_000);
        if (failures <= options.FailuresBeforeDisabling)
        {
            return state with { ConsecutiveFailures = failures };
        }

        var doublings = failures - options.FailuresBeforeDisabling - 1;
        var backoff = doublings >= 30
            ? options.DisableMaxBackoff
            : TimeSpan.FromTicks(Math.Min(options.DisableMaxBackoff.Ticks, options.DisableInitialBackoff.Ticks * (1L << doublings)));
        return new UrlHealthState(failures, now + backoff);
    }

    /// <summary>
    /// How long a send to a disabled URL waits: until the period ends, plus up to 5 s so the waiting sends of one URL
    /// are spread over a few seconds instead of all coming back at the same instant.
    /// </summary>
    public static TimeSpan WaitFor(UrlHealthState state, DateTimeOffset now) =>
        (state.DisabledUntil ?? now) - now + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5_000));

    /// <summary>The delivery log's entry for a send not made because the URL is disabled; <paramref name="waiter"/> is what waits.</summary>
    public static string NotSent(UrlHealthState state, DateTimeOffset now, string waiter) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Not sent: the URL is temporarily disabled until {(state.DisabledUntil ?? now).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} after {state.ConsecutiveFailures} consecutive failures; {waiter} waits for it");

    /// <summary>Whether an attempt's outcome says something about the URL: an answer that is not a passing trouble is health.</summary>
    public static bool IsFailure(WebhookResult result) => !result.Succeeded && result.Retryable;
}

/// <summary>
/// The shared failure state of each URL, cached in memory for <see cref="NotificationOptions.UrlHealthCacheDuration"/>
/// (what one instance learns, another sees within that time). A healthy URL costs no write: only a failure, or the
/// first success after failures, writes its row.
/// </summary>
internal sealed class UrlHealthTracker(IUrlHealthStore store, TimeProvider time, IOptions<NotificationOptions> options, ILogger<UrlHealthTracker> logger)
{
    private const int MaxWriteAttempts = 10;
    private readonly ConcurrentDictionary<string, Entry> cache = new();

    public static string Hash(Uri url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));

    /// <summary>The URL's state as cached, read from storage when the cache is older than its duration.</summary>
    public async Task<UrlHealthState> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var hash = Hash(url);
        var now = time.GetUtcNow();
        if (cache.TryGetValue(hash, out var entry) && now - entry.ReadAt < options.Value.UrlHealthCacheDuration)
        {
            return entry.State;
        }

        var (state, etag) = await store.GetAsync(hash, cancellationToken);
        cache[hash] = new Entry(state, etag, now);
        return state;
    }

    /// <summary>Records an attempt's outcome; never throws for a storage problem (the delivery is what matters).</summary>
    public async Task RecordAsync(Uri url, WebhookResult result, CancellationToken cancellationToken)
    {
        if (!result.Succeeded && !result.Retryable)
        {
            return; // a final answer or a refusal: the URL answered, or was never tried
        }

        var hash = Hash(url);
        var failed = UrlHealthRules.IsFailure(result);
        var now = time.GetUtcNow();
        if (!failed && cache.TryGetValue(hash, out var known) && known.State == UrlHealthState.Healthy && now - known.ReadAt < options.Value.UrlHealthCacheDuration)
        {
            return; // the common case: healthy and still healthy, nothing to write
        }

        if (failed && cache.TryGetValue(hash, out var disabled) && disabled.State.IsDisabled(now) && now - disabled.ReadAt < options.Value.UrlHealthCacheDuration)
        {
            return; // failures while disabled do not count (a request that was in flight when it was disabled)
        }

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (state, etag) = await store.GetAsync(hash, cancellationToken);
                now = time.GetUtcNow();
                var next = failed ? UrlHealthRules.AfterFailure(state, now, options.Value) : UrlHealthState.Healthy; // a success resets the count
                if (next == state)
                {
                    cache[hash] = new Entry(state, etag, now);
                    return;
                }

                try
                {
                    await store.SetAsync(hash, next, etag, cancellationToken);
                    cache[hash] = new Entry(next, default, now);
                    if (next.DisabledUntil != state.DisabledUntil && next.DisabledUntil is { } until)
                    {
                        logger.LogWarning(
                            "URL {UrlHash} temporarily disabled until {Until:O} after {Failures} consecutive failures",
                            hash, until, next.ConsecutiveFailures);
                    }

                    return;
                }
                catch (ConcurrencyException) when (attempt < MaxWriteAttempts)
                {
                    await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is RequestFailedException or ConcurrencyException)
        {
            logger.LogWarning("The failure state of URL {UrlHash} was not updated: {Error}", hash, e.Message);
        }
    }

    private sealed record Entry(UrlHealthState State, ETag ETag, DateTimeOffset ReadAt);
}
