using System.Diagnostics;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>The worker requires a trace context on every invocation (it throws NullReferenceException without one).</summary>
public static class TraceContexts
{
    public static RpcTraceContext Current()
    {
        var activity = Activity.Current;
        return new RpcTraceContext
        {
            TraceParent = activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
                ? id
                : $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00",
            TraceState = activity?.TraceStateString ?? "",
        };
    }
}
