using System.Net;
using System.Net.Sockets;

namespace StatusChecks.LocalHost;

/// <summary>
/// Free loopback ports for listeners whose port must be known before they start (Azurite's arguments, the gRPC
/// endpoint, a test's host). They are taken from outside the OS's ephemeral range: a port the OS picks for "port 0"
/// comes from that range, which every outgoing connection on the machine also draws from, so a busy machine can take
/// it between the probe and the real bind (Azurite then exits with EADDRINUSE).
/// </summary>
public static class LoopbackPorts
{
    private const int LowestCandidate = 20000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly (int From, int To) Candidates = CandidateRange();

    /// <summary>A port nothing listens on now and that this process has not handed out before.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Candidates.From, Candidates.To);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port in {Candidates.From}-{Candidates.To - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The wider of the gaps below and above the ephemeral range (Linux reports it; elsewhere IANA's 49152-65535).</summary>
    private static (int From, int To) CandidateRange()
    {
        var (ephemeralLow, ephemeralHigh) = (49152, 65535);
        const string linuxRange = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(linuxRange)
            && File.ReadAllText(linuxRange).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries) is [var low, var high]
            && int.TryParse(low, out var parsedLow) && int.TryParse(high, out var parsedHigh))
        {
            (ephemeralLow, ephemeralHigh) = (parsedLow, parsedHigh);
        }

        var below = (From: LowestCandidate, To: Math.Max(LowestCandidate, ephemeralLow));
        var above = (From: Math.Max(LowestCandidate, ephemeralHigh + 1), To: 65536);
        return below.To - below.From >= above.To - above.From ? below : above;
    }
}
