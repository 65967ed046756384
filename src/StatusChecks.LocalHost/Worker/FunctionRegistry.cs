using Microsoft.Extensions.Primitives;

namespace StatusChecks.LocalHost.Worker;

/// <summary>The functions the worker loaded; HTTP routes and queue listeners are built from it.</summary>
public sealed class FunctionRegistry : IDisposable
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource<IReadOnlyList<FunctionDescriptor>> firstLoad =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CancellationTokenSource changed = new();

    public IReadOnlyList<FunctionDescriptor> Functions { get; private set; } = [];

    /// <summary>Fires when <see cref="Publish"/> replaces the function list (e.g. after a worker restart).</summary>
    public IChangeToken GetChangeToken()
    {
        lock (gate)
        {
            return new CancellationChangeToken(changed.Token);
        }
    }

    public Task<IReadOnlyList<FunctionDescriptor>> WhenLoadedAsync(CancellationToken cancellationToken) =>
        firstLoad.Task.WaitAsync(cancellationToken);

    public void Publish(IReadOnlyList<FunctionDescriptor> functions)
    {
        CancellationTokenSource previous;
        lock (gate)
        {
            Functions = functions;
            previous = changed;
            changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
        firstLoad.TrySetResult(functions);
    }

    public void Dispose() => changed.Dispose();
}
