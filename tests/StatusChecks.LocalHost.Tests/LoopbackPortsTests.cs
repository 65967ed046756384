using System.Net;
using System.Net.Sockets;

namespace StatusChecks.LocalHost.Tests;

/// <summary>
/// CI once lost a run to Azurite's "EADDRINUSE": the OS-picked port it was given came from the ephemeral range and an
/// outgoing connection took it first. LoopbackPorts hands out ports outside that range.
/// </summary>
public sealed class LoopbackPortsTests
{
    [Fact]
    public void Next_IsOutsideTheEphemeralRange_AndBindable()
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

        var port = LoopbackPorts.Next();

        Assert.True(port < range[0] || port > range[1], $"{port} is in the ephemeral range {range[0]}-{range[1]}");
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
    }

    [Fact]
    public void Next_NeverHandsOutAPortTwice()
    {
        var ports = Enumerable.Range(0, 200).Select(_ => LoopbackPorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
