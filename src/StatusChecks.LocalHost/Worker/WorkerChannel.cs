using System.Collections.Concurrent;
using Grpc.Core;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>
/// The gRPC service the worker dials into (FunctionRpc/EventStream), and the door invocations go through: it knows
/// which worker connection is ready and makes callers wait (briefly) while a worker restarts.
/// </summary>
internal sealed class WorkerChannel(WorkerLogForwarder logs, ILogger<WorkerChannel> logger)
    : FunctionRpc.FunctionRpcBase, IFunctionInvoker
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkerConnection>> expected = new();
    private readonly Lock gate = new();
    private TaskCompletionSource<WorkerConnection> ready = NewSource();

    /// <summary>Completes when the worker started with this id has opened its stream.</summary>
    public Task<WorkerConnection> WaitForWorkerAsync(string workerId) =>
        expected.GetOrAdd(workerId, _ => NewSource()).Task;

    public void ForgetWorker(string workerId) => expected.TryRemove(workerId, out _);

    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            logger.LogWarning("A worker opened the event stream without start_stream; closing it");
            return;
        }

        var workerId = requestStream.Current.StartStream.WorkerId;
        if (!expected.TryRemove(workerId, out var waiter))
        {
            logger.LogWarning("Worker {WorkerId} is not one this host started; closing its stream", workerId);
            return;
        }

        var connection = new WorkerConnection(workerId, logs.Log, logger);
        waiter.TrySetResult(connection);
        await connection.RunAsync(requestStream, responseStream, cancellationToken);
    }

    /// <summary>All functions are loaded: invocations may use this connection.</summary>
    public void SetReady(WorkerConnection connection)
    {
        lock (gate)
        {
            if (ready.Task.IsCompleted)
            {
                ready = NewSource();
            }

            ready.TrySetResult(connection);
        }
    }

    /// <summary>The worker is gone or restarting: new invocations wait for the next SetReady.</summary>
    public void SetUnavailable()
    {
        lock (gate)
        {
            if (ready.Task.IsCompleted)
            {
                ready = NewSource();
            }
        }
    }

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Task<WorkerConnection> whenReady;
        lock (gate)
        {
            whenReady = ready.Task;
        }

        WorkerConnection connection;
        try
        {
            connection = await whenReady.WaitAsync(ReadyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new WorkerUnavailableException("The function worker is not ready.", notReady: true);
        }

        return await connection.InvokeAsync(request, cancellationToken);
    }

    private static TaskCompletionSource<WorkerConnection> NewSource() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
