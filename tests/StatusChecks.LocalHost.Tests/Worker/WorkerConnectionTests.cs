using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Worker;

public sealed class WorkerConnectionTests
{
    private readonly Channel<StreamingMessage> fromWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly Channel<StreamingMessage> toWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly List<RpcLog> logs = [];
    private readonly WorkerConnection connection;
    private readonly Task running;

    public WorkerConnectionTests()
    {
        connection = new WorkerConnection("w1", logs.Add, NullLogger.Instance);
        running = connection.RunAsync(new FakeStreamReader(fromWorker.Reader), new FakeStreamWriter(toWorker.Writer), CancellationToken.None);
    }

    [Fact]
    public async Task InvokeAsync_RepliesArriveInReverseOrder_EachCallerGetsItsOwnReply()
    {
        var first = connection.InvokeAsync(new InvocationRequest { InvocationId = "a" }, CancellationToken.None);
        var second = connection.InvokeAsync(new InvocationRequest { InvocationId = "b" }, CancellationToken.None);
        var sent = new[] { await toWorker.Reader.ReadAsync(), await toWorker.Reader.ReadAsync() };

        await fromWorker.Writer.WriteAsync(Reply("b", "second"));
        await fromWorker.Writer.WriteAsync(Reply("a", "first"));

        Assert.Equal(["a", "b"], sent.Select(m => m.InvocationRequest.InvocationId).Order());
        Assert.Equal("first", (await first).ReturnValue.String);
        Assert.Equal("second", (await second).ReturnValue.String);
    }

    [Fact]
    public async Task RequestAsync_WorkerClosesStream_PendingRequestFailsAsUnavailable()
    {
        var pending = connection.RequestAsync(
            new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = "f" } }, CancellationToken.None);
        await toWorker.Reader.ReadAsync();

        fromWorker.Writer.Complete();
        await running;

        await Assert.ThrowsAsync<WorkerUnavailableException>(() => pending);
        Assert.Throws<WorkerUnavailableException>(() => connection.Send(new StreamingMessage()));
    }

    [Fact]
    public async Task RunAsync_RpcLog_IsForwardedNotTreatedAsReply()
    {
        await fromWorker.Writer.WriteAsync(new StreamingMessage
        {
            RpcLog = new RpcLog { Category = "Function.Health.User", Message = "hello", Level = RpcLog.Types.Level.Warning },
        });
        fromWorker.Writer.Complete();
        await running;

        Assert.Equal("hello", Assert.Single(logs).Message);
    }

    [Fact]
    public async Task InvokeAsync_CallerCancelsAndWorkerSupportsIt_SendsInvocationCancel()
    {
        connection.Capabilities = new Dictionary<string, string> { ["HandlesInvocationCancelMessage"] = "true" };
        using var cancellation = new CancellationTokenSource();
        var invocation = connection.InvokeAsync(new InvocationRequest { InvocationId = "slow" }, cancellation.Token);
        await toWorker.Reader.ReadAsync();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        var cancel = await toWorker.Reader.ReadAsync();
        Assert.Equal("slow", cancel.InvocationCancel.InvocationId);
    }

    [Theory]
    [InlineData(RpcLog.Types.Level.Trace, LogLevel.Trace)]
    [InlineData(RpcLog.Types.Level.Information, LogLevel.Information)]
    [InlineData(RpcLog.Types.Level.Error, LogLevel.Error)]
    [InlineData(RpcLog.Types.Level.Critical, LogLevel.Critical)]
    [InlineData(RpcLog.Types.Level.None, LogLevel.None)]
    public void ToLogLevel_RpcLevel_MapsToSameILoggerLevel(RpcLog.Types.Level level, LogLevel expected)
    {
        Assert.Equal(expected, WorkerLogForwarder.ToLogLevel(level));
    }

    private static StreamingMessage Reply(string invocationId, string value) => new()
    {
        InvocationResponse = new InvocationResponse
        {
            InvocationId = invocationId,
            Result = new StatusResult { Status = StatusResult.Types.Status.Success },
            ReturnValue = new TypedData { String = value },
        },
    };

    private sealed class FakeStreamReader(ChannelReader<StreamingMessage> reader) : IAsyncStreamReader<StreamingMessage>
    {
        public StreamingMessage Current { get; private set; } = new();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await reader.WaitToReadAsync(cancellationToken) || !reader.TryRead(out var message))
            {
                return false;
            }

            Current = message;
            return true;
        }
    }

    private sealed class FakeStreamWriter(ChannelWriter<StreamingMessage> writer) : IAsyncStreamWriter<StreamingMessage>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(StreamingMessage message) => writer.WriteAsync(message).AsTask();
    }
}
