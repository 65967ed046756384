using System.Net;
using System.Net.Sockets;

namespace StatusChecks.LocalHost.Worker;

/// <summary>The loopback port of the gRPC endpoint the worker connects to (cleartext HTTP/2, separate from HTTP).</summary>
public sealed record GrpcEndpoint(int Port)
{
    public static GrpcEndpoint OnFreePort()
    {
        // Kestrel needs the port before it starts (the endpoint is restricted to it), so ask the OS for a free one.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new GrpcEndpoint(port);
    }
}
