using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// Deliveries in flight per URL authority (scheme, host, port) in this instance, at most
/// <see cref="NotificationOptions.MaxInFlightPerHost"/>: one receiver's slow or dead URLs hold only that many of the
/// instance's delivery slots, so every other receiver keeps the rest. A delivery that finds no free slot goes back to
/// the queue at a time booked for it (see <see cref="BookLater"/>), so a dead host's backlog is not polled over and over.
/// </summary>
internal sealed class HostSlots(IOptions<NotificationOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Host> hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A slot for <paramref name="url"/>'s host (dispose to free it), or null when none freed within <paramref name="wait"/>.</summary>
    public async Task<IDisposable?> TryTakeAsync(Uri url, TimeSpan wait, CancellationToken cancellationToken)
    {
        var host = Get(url);
        return await host.Gate.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken) ? new Slot(host.Gate) : null;
    }

    /// <summary>
    /// When to try a delivery that found no free slot: the host's waiting deliveries are spaced as if each slot took a
    /// whole request timeout (the worst case, a dead host), so they come back one slot's worth at a time.
    /// </summary>
    public TimeSpan BookLater(Uri url)
    {
        var host = Get(url);
        var settings = options.Value;
        var spacing = settings.RequestTimeout / settings.MaxInFlightPerHost;
        var now = time.GetUtcNow();
        lock (host)
        {
            host.Next = (host.Next > now ? host.Next : now + settings.RequestTimeout) + spacing;
            return host.Next - now;
        }
    }

    private Host Get(Uri url) => hosts.GetOrAdd(url.GetLeftPart(UriPartial.Authority), _ => new Host(new SemaphoreSlim(options.Value.MaxInFlightPerHost)));

    private sealed class Host(SemaphoreSlim gate)
    {
        public SemaphoreSlim Gate { get; } = gate;

        public DateTimeOffset Next { get; set; }
    }

    private sealed class Slot(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
