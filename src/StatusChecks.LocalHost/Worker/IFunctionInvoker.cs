using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>Runs one function invocation on the worker (the seam the HTTP and queue triggers are tested through).</summary>
public interface IFunctionInvoker
{
    /// <exception cref="WorkerUnavailableException">No worker is ready, or it stopped during the invocation.</exception>
    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
