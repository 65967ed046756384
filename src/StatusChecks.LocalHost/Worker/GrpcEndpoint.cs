namespace StatusChecks.LocalHost.Worker;

/// <summary>The loopback port of the gRPC endpoint the worker connects to (cleartext HTTP/2, separate from HTTP).</summary>
public sealed record GrpcEndpoint(int Port)
{
    // Kestrel needs the port before it starts (the endpoint is restricted to it).
    public static GrpcEndpoint OnFreePort() => new(LoopbackPorts.Next());
}
