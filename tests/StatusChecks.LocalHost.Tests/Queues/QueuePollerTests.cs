using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Queues;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Queues;

/// <summary>Queue trigger semantics against a mocked QueueClient (no storage, no worker).</summary>
public sealed class QueuePollerTests
{
    private static readonly QueuesSettings Settings = new(
        BatchSize: 4, NewBatchThreshold: 2, MaxPollingInterval: TimeSpan.FromSeconds(2),
        VisibilityTimeout: TimeSpan.FromSeconds(10), MaxDequeueCount: 3, Base64Encoding: true);

    private readonly Mock<QueueClient> queue = new();
    private readonly Mock<QueueClient> poison = new();
    private readonly Mock<IFunctionInvoker> invoker = new();
    private readonly List<InvocationRequest> invocations = [];

    public QueuePollerTests()
    {
        queue.SetupGet(q => q.Name).Returns("probe");
        poison.SetupGet(q => q.Name).Returns("probe-poison");
        queue.Setup(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());
        queue.Setup(q => q.UpdateMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string receipt, string _, TimeSpan _, CancellationToken _) =>
                Response.FromValue(QueuesModelFactory.UpdateReceipt(receipt + "+", DateTimeOffset.UtcNow), Mock.Of<Response>()));
        poison.Setup(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());
        poison.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(QueuesModelFactory.SendReceipt("p", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "r", DateTimeOffset.UtcNow), Mock.Of<Response>()));
        WorkerReturns(StatusResult.Types.Status.Success);
    }

    [Fact]
    public async Task HandleAsync_FunctionSucceeds_DeletesTheMessage()
    {
        await Handler().HandleAsync(Message("m1", "aGk=", dequeueCount: 1), CancellationToken.None);

        Assert.Equal("hi", Assert.Single(invocations).InputData.Single().Data.String);
        queue.Verify(q => q.DeleteMessageAsync("m1", "receipt", It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoVisibilityChange();
    }

    [Fact]
    public async Task HandleAsync_FunctionFailsBelowMaxDequeueCount_MakesItVisibleAfterVisibilityTimeout()
    {
        WorkerReturns(StatusResult.Types.Status.Failure);

        await Handler().HandleAsync(Message("m1", "aGk=", dequeueCount: 2), CancellationToken.None);

        queue.Verify(q => q.UpdateMessageAsync("m1", "receipt", (string?)null, TimeSpan.FromSeconds(10), It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        poison.Verify(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HandleAsync_WorkerUnavailable_LeavesMessageOnQueueForRetry()
    {
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WorkerUnavailableException("stopped"));

        await Handler().HandleAsync(Message("m1", "aGk=", dequeueCount: 1), CancellationToken.None);

        queue.Verify(q => q.UpdateMessageAsync("m1", "receipt", (string?)null, TimeSpan.FromSeconds(10), It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HandleAsync_FunctionFailsAtMaxDequeueCount_MovesToPoisonAndDeletes()
    {
        WorkerReturns(StatusResult.Types.Status.Failure);

        await Handler().HandleAsync(Message("m1", "aGk=", dequeueCount: 3), CancellationToken.None);

        poison.Verify(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()), Times.Once);
        poison.Verify(q => q.SendMessageAsync("aGk=", It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync("m1", "receipt", It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoVisibilityChange();
    }

    [Fact]
    public async Task HandleAsync_DequeuedMoreOftenThanAllowed_MovesToPoisonWithoutInvoking()
    {
        await Handler().HandleAsync(Message("m1", "aGk=", dequeueCount: 4), CancellationToken.None);

        Assert.Empty(invocations);
        poison.Verify(q => q.SendMessageAsync("aGk=", It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync("m1", "receipt", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task HandleAsync_InvalidBase64_MovesToPoisonRightAwayWithoutInvoking()
    {
        await Handler().HandleAsync(Message("m1", "not base64 !!", dequeueCount: 1), CancellationToken.None);

        Assert.Empty(invocations);
        poison.Verify(q => q.SendMessageAsync("not base64 !!", It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync("m1", "receipt", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task HandleAsync_SlowFunction_ExtendsVisibilityAndDeletesWithTheNewReceipt()
    {
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (InvocationRequest _, CancellationToken token) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(400), token);
                return Result(StatusResult.Types.Status.Success);
            });

        await Handler(lease: TimeSpan.FromMilliseconds(200)).HandleAsync(Message("m1", "aGk=", dequeueCount: 1), CancellationToken.None);

        queue.Verify(q => q.UpdateMessageAsync("m1", "receipt", (string?)null, TimeSpan.FromMilliseconds(200), It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.DeleteMessageAsync("m1", It.Is<string>(r => r.StartsWith("receipt+", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PollOnceAsync_MessagesWaiting_ReceivesBatchSizeWithLeaseAndHandlesEach()
    {
        queue.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new[] { Message("a", "YQ==", 1), Message("b", "Yg==", 1) }, Mock.Of<Response>()));
        var handler = Handler();
        var poller = new QueuePoller(queue.Object, handler, Settings, NullLogger.Instance);

        var received = await poller.PollOnceAsync(CancellationToken.None);
        await WaitUntil(() => invocations.Count == 2);

        Assert.Equal(2, received);
        queue.Verify(q => q.ReceiveMessagesAsync(4, handler.Lease, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(["a", "b"], invocations.Select(i => i.InputData.Single().Data.String).Order());
    }

    [Fact]
    public async Task PollOnceAsync_MoreRunningThanNewBatchThreshold_WaitsBeforeReturning()
    {
        var release = new TaskCompletionSource();
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (InvocationRequest _, CancellationToken _) =>
            {
                await release.Task;
                return Result(StatusResult.Types.Status.Success);
            });
        var batch = Enumerable.Range(0, 4).Select(n => Message($"m{n}", "aGk=", 1)).ToArray();
        queue.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(batch, Mock.Of<Response>()));
        var poller = new QueuePoller(queue.Object, Handler(), Settings, NullLogger.Instance);

        var polling = poller.PollOnceAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(polling.IsCompleted); // 4 running > threshold 2: the next batch must wait

        release.SetResult();
        Assert.Equal(4, await polling);
    }

    [Fact]
    public async Task PollOnceAsync_EmptyQueue_ReturnsZero()
    {
        queue.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(Array.Empty<QueueMessage>(), Mock.Of<Response>()));

        var received = await new QueuePoller(queue.Object, Handler(), Settings, NullLogger.Instance).PollOnceAsync(CancellationToken.None);

        Assert.Equal(0, received);
        Assert.Empty(invocations);
    }

    /// <summary>
    /// Storage down for longer than the SDK's retries: Azure.Core gives up with an AggregateException (and times out
    /// with a cancellation nobody asked for). Either used to escape the poller, which ended the BackgroundService,
    /// stopped the host and reset every open HTTP connection (the storage-outage-under-load test's "connection reset").
    /// </summary>
    [Fact]
    public async Task RunAsync_StorageFailsPastTheSdkRetries_KeepsPollingAndRecovers()
    {
        queue.Setup(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());
        var polls = 0;
        queue.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref polls) switch
            {
                1 => Task.FromException<Response<QueueMessage[]>>(new AggregateException(
                    "Retry failed after 3 tries.", new RequestFailedException("Connection refused"), new HttpRequestException("Connection refused"), new IOException("reset"))),
                2 => Task.FromException<Response<QueueMessage[]>>(new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.")),
                3 => Task.FromResult(Response.FromValue(new[] { Message("after", "aGk=", 1) }, Mock.Of<Response>())),
                _ => Task.FromResult(Response.FromValue(Array.Empty<QueueMessage>(), Mock.Of<Response>())),
            });
        using var stop = new CancellationTokenSource();

        var running = new QueuePoller(queue.Object, Handler(), Settings, NullLogger.Instance).RunAsync(stop.Token);
        await WaitUntil(() => invocations.Count == 1 || running.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.False(running.IsCompleted, running.Exception?.ToString() ?? "the poller stopped");
        Assert.Equal("hi", Assert.Single(invocations).InputData.Single().Data.String);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_ShutdownDuringAPoll_EndsQuietly()
    {
        queue.Setup(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());
        queue.Setup(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Returns((int? _, TimeSpan? _, CancellationToken token) => Task.Delay(Timeout.Infinite, token).ContinueWith(
                _ => Response.FromValue(Array.Empty<QueueMessage>(), Mock.Of<Response>()), TaskContinuationOptions.OnlyOnRanToCompletion));
        using var stop = new CancellationTokenSource();

        var running = new QueuePoller(queue.Object, Handler(), Settings, NullLogger.Instance).RunAsync(stop.Token);
        await stop.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(running.IsCompletedSuccessfully);
    }

    private QueueMessageHandler Handler(TimeSpan? lease = null) => new(
        TestFunctions.Queue("Probe", "probe"), queue.Object, poison.Object, Settings,
        lease ?? TimeSpan.FromMinutes(1), invoker.Object, NullLogger.Instance);

    private void WorkerReturns(StatusResult.Types.Status status) =>
        invoker.Setup(i => i.InvokeAsync(It.IsAny<InvocationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((InvocationRequest request, CancellationToken _) =>
            {
                lock (invocations)
                {
                    invocations.Add(request);
                }

                return Result(status);
            });

    private void VerifyNoVisibilityChange() =>
        queue.Verify(q => q.UpdateMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);

    private static InvocationResponse Result(StatusResult.Types.Status status) =>
        new() { Result = new StatusResult { Status = status, Exception = new RpcException { Message = "boom" } } };

    private static QueueMessage Message(string id, string text, long dequeueCount) =>
        QueuesModelFactory.QueueMessage(id, "receipt", text, dequeueCount, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7));

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(condition, TimeSpan.FromSeconds(2));

    private static async Task WaitUntil(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
