using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>
/// Backing off and temporarily disabling a failing URL, as GitLab does for webhooks (WebHooks::AutoDisabling:
/// 3 failures tolerated, then 1 minute doubling per failure up to 1 day), shared by instances through one row per
/// URL hash, with a fake clock.
/// </summary>
public sealed class UrlHealthTests
{
    private static readonly Uri Url = new("https://ci.example/hook?token=abc");
    private static readonly WebhookResult Timeout = new(false, null, TimeSpan.FromSeconds(10), "No response within 10 s", Retryable: true);
    private static readonly WebhookResult ServerError = new(false, 503, TimeSpan.FromMilliseconds(5), "HTTP 503", Retryable: true);
    private static readonly WebhookResult NotForMe = new(false, 404, TimeSpan.FromMilliseconds(5), "HTTP 404", Retryable: false);
    private static readonly WebhookResult Ok = new(true, 200, TimeSpan.FromMilliseconds(5), null, Retryable: false);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly MemoryStore store = new();

    [Fact]
    public async Task ThreeConsecutiveFailures_Tolerated_FourthDisablesForOneMinute()
    {
        var tracker = Tracker();

        await FailAsync(tracker, 3);
        Assert.False((await tracker.GetAsync(Url, default)).IsDisabled(time.GetUtcNow()));
        await tracker.RecordAsync(Url, Timeout, default);

        var state = await tracker.GetAsync(Url, default);
        Assert.Equal((4, time.GetUtcNow().AddMinutes(1)), (state.ConsecutiveFailures, state.DisabledUntil));
    }

    [Fact]
    public async Task Disabled_ComesBackOnItsOwnWhenThePeriodEnds_EachFurtherFailureDoublesTheBackoffUpToOneDay()
    {
        var tracker = Tracker();
        await FailAsync(tracker, 4);

        var periods = new List<TimeSpan>();
        for (var i = 0; i < 14; i++)
        {
            var state = await tracker.GetAsync(Url, default);
            var period = state.DisabledUntil!.Value - time.GetUtcNow();
            periods.Add(period);
            time.Advance(period - TimeSpan.FromSeconds(1));
            Assert.True((await tracker.GetAsync(Url, default)).IsDisabled(time.GetUtcNow()));
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.False((await tracker.GetAsync(Url, default)).IsDisabled(time.GetUtcNow()));
            await tracker.RecordAsync(Url, ServerError, default);
        }

        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1440, 1440, 1440],
            periods.Select(p => p.TotalMinutes));
    }

    [Fact]
    public async Task FailuresWhileDisabled_DoNotCount()
    {
        var tracker = Tracker();
        await FailAsync(tracker, 4);
        var disabled = await tracker.GetAsync(Url, default);

        await FailAsync(tracker, 5); // requests that were in flight when the URL was disabled
        time.Advance(TimeSpan.FromSeconds(30)); // past the cache: read from the shared row
        var state = await tracker.GetAsync(Url, default);

        Assert.Equal(disabled, state);
    }

    [Fact]
    public async Task Success_ResetsTheCount_AndAHealthyUrlWritesNothing()
    {
        var tracker = Tracker();
        await tracker.RecordAsync(Url, Ok, default);
        await tracker.RecordAsync(Url, Ok, default);
        Assert.Equal(0, store.Writes);

        await FailAsync(tracker, 3);
        await tracker.RecordAsync(Url, Ok, default);
        await tracker.RecordAsync(Url, Timeout, default);

        Assert.Equal(5, store.Writes); // three failures, the reset, one failure
        Assert.Equal(new UrlHealthState(1, null), await tracker.GetAsync(Url, default));
    }

    [Fact]
    public async Task FinalAnswers_NeitherFailNorHeal()
    {
        var tracker = Tracker();
        await FailAsync(tracker, 3);

        await tracker.RecordAsync(Url, NotForMe, default);
        await tracker.RecordAsync(Url, WebhookResult.Refused("Refused: the URL's address is not allowed"), default);

        Assert.Equal(3, (await tracker.GetAsync(Url, default)).ConsecutiveFailures);
        await tracker.RecordAsync(Url, Timeout, default);
        Assert.True((await tracker.GetAsync(Url, default)).IsDisabled(time.GetUtcNow()));
    }

    [Fact]
    public async Task StateIsShared_FailuresOfInstancesAddUp_AnotherInstanceSeesTheDisablingOnceItsCacheExpires()
    {
        var first = Tracker();
        var second = Tracker();
        var third = Tracker();
        Assert.False((await third.GetAsync(Url, default)).IsDisabled(time.GetUtcNow()));

        await FailAsync(first, 2);
        await FailAsync(second, 2);

        Assert.False((await third.GetAsync(Url, default)).IsDisabled(time.GetUtcNow())); // its cached copy, for now
        time.Advance(TimeSpan.FromSeconds(10));
        var state = await third.GetAsync(Url, default);
        Assert.Equal((4, true), (state.ConsecutiveFailures, state.IsDisabled(time.GetUtcNow())));
    }

    [Fact]
    public async Task StoredUnderTheUrlsSha256Only()
    {
        await FailAsync(Tracker(), 1);

        var key = Assert.Single(store.Rows.Keys);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(UrlHealthTracker.Hash(Url), key);
        Assert.DoesNotContain("abc", key, StringComparison.Ordinal);
    }

    private UrlHealthTracker Tracker() =>
        new(store, time, Options.Create(new NotificationOptions()), NullLogger<UrlHealthTracker>.Instance);

    private static async Task FailAsync(UrlHealthTracker tracker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await tracker.RecordAsync(Url, i % 2 == 0 ? Timeout : ServerError, default);
        }
    }

    /// <summary>The shared table, with ETags, in memory.</summary>
    private sealed class MemoryStore : IUrlHealthStore
    {
        public ConcurrentDictionary<string, (UrlHealthState State, ETag ETag)> Rows { get; } = new();

        public int Writes { get; private set; }

        public Task<(UrlHealthState State, ETag ETag)> GetAsync(string urlHash, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.TryGetValue(urlHash, out var row) ? row : (UrlHealthState.Healthy, default(ETag)));

        public Task SetAsync(string urlHash, UrlHealthState state, ETag etag, CancellationToken cancellationToken)
        {
            var current = Rows.TryGetValue(urlHash, out var row) ? row.ETag : default;
            if (current != etag)
            {
                throw new ConcurrencyException();
            }

            Rows[urlHash] = (state, new ETag(Guid.NewGuid().ToString()));
            Writes++;
            return Task.CompletedTask;
        }
    }
}
