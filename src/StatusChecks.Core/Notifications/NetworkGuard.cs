using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace StatusChecks.Core.Notifications;

/// <summary>A delivery the SSRF guard refused: it is recorded as failed with this reason and never retried.</summary>
public sealed class DeliveryRefusedException(string message) : Exception(message);

/// <summary>
/// (extension, docs/API.md (Notifications)) Which addresses a delivery may not reach: loopback, private (RFC 1918, RFC 4193),
/// shared (100.64.0.0/10), link-local, the Azure platform address (168.63.129.16: DNS, DHCP and the host agent of
/// every Azure VM), unspecified, multicast and reserved ones, including the same IPv4 addresses written as IPv6
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
/// </summary>
public static class AddressPolicy
{
    private static readonly (IPNetwork Network, string Kind)[] IPv4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("168.63.129.16/32"), "Azure platform"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] IPv6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "private"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why <paramref name="address"/> may not be reached ("loopback", "private", ...), or null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Find(IPv4, address);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Refusal(address.MapToIPv4());
        }

        return Find(IPv6, address) ?? (EmbeddedIPv4(address) is { } embedded ? Find(IPv4, embedded) : null);
    }

    /// <summary>The IPv4 address inside an IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (IPv4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    private static string? Find((IPNetwork Network, string Kind)[] ranges, IPAddress address)
    {
        foreach (var (network, kind) in ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return null;
    }
}

/// <summary>
/// The connection step of the delivery client (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the
/// host, refuses it when any of its addresses is forbidden (unless AllowPrivateNetworks), then connects to exactly
/// the addresses it checked, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// </summary>
internal sealed class NetworkGuard(IOptions<NotificationOptions> options)
{
    /// <summary>What the delivery log records for a refused address.</summary>
    public const string RefusedMessage = "Refused: the URL's address is not allowed (loopback, private, link-local and other internal networks are blocked).";

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host.Trim('[', ']'), context.DnsEndPoint.Port);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!options.Value.AllowPrivateNetworks)
        {
            foreach (var address in addresses)
            {
                if (AddressPolicy.Refusal(address) is not null)
                {
                    // Neither the address nor its kind: the log is read by project members, and what a name
                    // resolves to inside the service's network is not theirs to learn.
                    throw new DeliveryRefusedException(RefusedMessage);
                }
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
