using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>
/// One worker's event stream. All writes go through one queue (the gRPC stream writer is not thread-safe) and
/// replies are matched to requests by id, never by arrival order, because the worker handles messages concurrently.
/// </summary>
internal sealed class WorkerConnection(string workerId, Action<RpcLog> onLog, ILogger logger)
{
    private const string CancelCapability = "HandlesInvocationCancelMessage";

    private readonly Channel<StreamingMessage> outgoing =
        Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new();
    private volatile bool closed;

    public string WorkerId => workerId;

    /// <summary>What the worker said it supports in its init response.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; set; } = new Dictionary<string, string>();

    /// <summary>Pumps both directions until the worker closes the stream or the call is aborted.</summary>
    public async Task RunAsync(
        IAsyncStreamReader<StreamingMessage> reader, IAsyncStreamWriter<StreamingMessage> writer, CancellationToken cancellationToken)
    {
        var writing = WriteAllAsync(writer, cancellationToken);
        try
        {
            while (await reader.MoveNext(cancellationToken))
            {
                Dispatch(reader.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or Grpc.Core.RpcException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogDebug(ex, "Event stream of worker {WorkerId} ended", workerId);
        }
        finally
        {
            Close();
            await writing;
        }
    }

    /// <summary>Queues a message for the worker (fire and forget: worker_terminate, invocation_cancel).</summary>
    public void Send(StreamingMessage message)
    {
        if (closed || !outgoing.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException("The function worker is not connected.");
        }
    }

    /// <summary>Sends a request and waits for the worker's reply to it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        var key = ReplyKey(request) ?? throw new ArgumentException($"{request.ContentCase} has no reply.", nameof(request));
        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!pending.TryAdd(key, reply))
        {
            throw new InvalidOperationException($"A request '{key}' is already waiting for its reply.");
        }

        try
        {
            Send(request); // after TryAdd: a Close() racing with us either sees our entry or makes Send throw
            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            pending.TryRemove(key, out _);
        }
    }

    /// <summary>Invokes a function; when the caller gives up, tells the worker to cancel (if it supports that).</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await RequestAsync(new StreamingMessage { InvocationRequest = request }, cancellationToken);
            return reply.InvocationResponse;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && Capabilities.ContainsKey(CancelCapability))
        {
            TrySend(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
            throw;
        }
    }

    /// <summary>The key a request's reply is filed under (requests and replies map to the same key).</summary>
    public static string? ReplyKey(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.WorkerInitRequest or StreamingMessage.ContentOneofCase.WorkerInitResponse => "init",
        StreamingMessage.ContentOneofCase.FunctionsMetadataRequest or StreamingMessage.ContentOneofCase.FunctionMetadataResponse => "metadata",
        StreamingMessage.ContentOneofCase.FunctionLoadRequest => "load:" + message.FunctionLoadRequest.FunctionId,
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => "load:" + message.FunctionLoadResponse.FunctionId,
        StreamingMessage.ContentOneofCase.InvocationRequest => "invocation:" + message.InvocationRequest.InvocationId,
        StreamingMessage.ContentOneofCase.InvocationResponse => "invocation:" + message.InvocationResponse.InvocationId,
        _ => null,
    };

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            onLog(message.RpcLog);
        }
        else if (ReplyKey(message) is { } key && pending.TryGetValue(key, out var reply))
        {
            reply.TrySetResult(message);
        }
        else
        {
            // e.g. the empty message the worker sends after worker_terminate, or a reply nobody waits for any more.
            logger.LogDebug("Ignoring {Content} from worker {WorkerId}", message.ContentCase, workerId);
        }
    }

    private async Task WriteAllAsync(IAsyncStreamWriter<StreamingMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or Grpc.Core.RpcException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogDebug(ex, "Writing to worker {WorkerId} stopped", workerId);
            Close();
        }
    }

    private void TrySend(StreamingMessage message)
    {
        if (!closed)
        {
            outgoing.Writer.TryWrite(message);
        }
    }

    private void Close()
    {
        closed = true;
        outgoing.Writer.TryComplete();
        foreach (var reply in pending.Values)
        {
            reply.TrySetException(new WorkerUnavailableException("The function worker process stopped."));
        }
    }
}
