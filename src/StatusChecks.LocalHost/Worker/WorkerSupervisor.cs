using Google.Protobuf.WellKnownTypes;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>
/// Runs the worker: start it, walk it through the start-up handshake (init, metadata, one load per function),
/// restart it with back-off when it crashes, give up after too many crashes, and terminate it gracefully on stop.
/// </summary>
internal sealed class WorkerSupervisor(
    LocalHostContext context,
    GrpcEndpoint grpc,
    WorkerChannel channel,
    FunctionRegistry registry,
    WorkerTimings timings,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    ILogger<WorkerSupervisor> logger) : BackgroundService, IHostedLifecycleService
{
    private const int MaxCrashes = 5;
    private static readonly TimeSpan CrashWindow = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly ILogger workerOutput = loggers.CreateLogger("Worker");
    private volatile bool stopping;
    private bool everReady;
    private volatile RunningWorker? current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenListeningAsync(stoppingToken); // the worker dials the gRPC endpoint as soon as it starts
            await SuperviseAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private async Task SuperviseAsync(CancellationToken stoppingToken)
    {
        var crashes = new Queue<DateTimeOffset>();
        while (true)
        {
            string reason;
            try
            {
                reason = await RunWorkerAsync(stoppingToken);
            }
            catch (LocalHostException ex) when (!everReady)
            {
                Fatal(ex.Message); // a worker that never came up will not come up by retrying
                return;
            }
            catch (LocalHostException ex)
            {
                reason = ex.Message;
            }

            // Ctrl+C reaches the worker too (same process group): its exit is then no crash.
            if (stopping || stoppingToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }

            var now = DateTimeOffset.UtcNow;
            crashes.Enqueue(now);
            while (crashes.Peek() < now - CrashWindow)
            {
                crashes.Dequeue();
            }

            if (crashes.Count >= MaxCrashes)
            {
                Fatal($"The worker crashed {crashes.Count} times within {CrashWindow.TotalMinutes:0} minutes (last: {reason}); giving up.");
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, crashes.Count - 1)));
            logger.LogError("Worker {Reason}; restarting it in {Delay} s", reason, delay.TotalSeconds);
            await Task.Delay(delay, stoppingToken);
        }
    }

    /// <summary>Runs one worker process until it exits; returns why it ended.</summary>
    private async Task<string> RunWorkerAsync(CancellationToken stoppingToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var connected = channel.WaitForWorkerAsync(workerId);
        timings.WorkerStarting();
        await using var worker = WorkerProcess.Start(context.Worker, context.WorkerVariables, grpc.Port, workerId, workerOutput);
        current = new RunningWorker(worker, null);
        try
        {
            logger.LogInformation("Worker process {Pid} started", worker.Id);
            var connection = await WhileRunningAsync(worker, connected, "connect", stoppingToken);
            current = new RunningWorker(worker, connection);
            var functions = await LoadFunctionsAsync(worker, connection, stoppingToken);
            registry.Publish(functions);
            channel.SetReady(connection);
            everReady = true;
            Console.WriteLine($"Worker ready in {timings.SinceWorkerStart.TotalMilliseconds:0} ms");
            logger.LogInformation("Functions loaded: {Functions}", string.Join(", ", functions.Select(f => f.Name)));

            await worker.Exited.WaitAsync(stoppingToken);
            return $"process exited with code {worker.ExitCode}";
        }
        finally
        {
            channel.SetUnavailable();
            channel.ForgetWorker(workerId);
            if (!stopping)
            {
                current = null;
            }
        }
    }

    private async Task<IReadOnlyList<FunctionDescriptor>> LoadFunctionsAsync(
        WorkerProcess worker, WorkerConnection connection, CancellationToken cancellationToken)
    {
        var appDirectory = context.Worker.AppDirectory;
        var init = await RequestAsync(worker, connection, new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = "4.0.0-statuschecks-localhost",
                WorkerDirectory = appDirectory,
                FunctionAppDirectory = appDirectory,
            },
        }, "worker_init", cancellationToken);
        EnsureSuccess(init.WorkerInitResponse.Result, "worker_init");
        connection.Capabilities = init.WorkerInitResponse.Capabilities.ToDictionary();

        var metadata = (await RequestAsync(worker, connection, new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        }, "functions_metadata", cancellationToken)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "functions_metadata");
        var functions = (metadata.UseDefaultMetadataIndexing
                ? FunctionMetadataFile.Read(appDirectory)
                : metadata.FunctionMetadataResults)
            .Select(FunctionDescriptor.FromMetadata)
            .ToList();

        var loads = await Task.WhenAll(functions.Select(async function =>
        {
            var reply = await RequestAsync(worker, connection, new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.Metadata },
            }, $"function_load({function.Name})", cancellationToken);
            return (Function: function, reply.FunctionLoadResponse.Result);
        }));

        foreach (var (function, result) in loads.Where(l => !IsSuccess(l.Result)))
        {
            logger.LogError("Function {Function} failed to load: {Error}", function.Name, Describe(result));
        }

        return loads.Where(l => IsSuccess(l.Result)).Select(l => l.Function).ToList();
    }

    private static async Task<StreamingMessage> RequestAsync(
        WorkerProcess worker, WorkerConnection connection, StreamingMessage request, string step, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        try
        {
            return await WhileRunningAsync(worker, connection.RequestAsync(request, cancellationToken), step, cancellationToken);
        }
        catch (WorkerUnavailableException)
        {
            throw new LocalHostException($"The worker process stopped during {step} (exit code {worker.ExitCode}; see its output above).");
        }
    }

    /// <summary>Waits for a start-up step, failing clearly if the worker exits or takes too long instead.</summary>
    private static async Task<T> WhileRunningAsync<T>(
        WorkerProcess worker, Task<T> step, string name, CancellationToken cancellationToken)
    {
        Task finished;
        try
        {
            finished = await Task.WhenAny(step, worker.Exited).WaitAsync(StepTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new LocalHostException($"The worker did not complete {name} within {StepTimeout.TotalSeconds:0} s.");
        }

        return finished == step
            ? await step
            : throw new LocalHostException($"The worker process exited with code {worker.ExitCode} during {name} (see its output above).");
    }

    private static bool IsSuccess(StatusResult? result) =>
        result is null || result.Status == StatusResult.Types.Status.Success;

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (!IsSuccess(result))
        {
            throw new LocalHostException($"The worker failed {step}: {Describe(result)}");
        }
    }

    private static string Describe(StatusResult? result) =>
        result?.Exception?.Message is { Length: > 0 } message ? message : result?.Result ?? "no details";

    private async Task WhenListeningAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(cancellationToken);
        }
    }

    private void Fatal(string message)
    {
        Console.Error.WriteLine($"StatusChecks local host: {message}");
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }

    /// <summary>Before the server stops: ask the worker to terminate (so its event stream ends), then make sure it is gone.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        channel.SetUnavailable();
        if (current is not { } running)
        {
            return;
        }

        var gracePeriod = TimeSpan.Zero; // a worker still starting up cannot take worker_terminate: kill it
        if (running.Connection is { } connection)
        {
            try
            {
                connection.Send(new StreamingMessage
                {
                    RequestId = Guid.NewGuid().ToString(),
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(GracePeriod) },
                });
                gracePeriod = GracePeriod + TimeSpan.FromSeconds(1);
            }
            catch (WorkerUnavailableException)
            {
                // Already disconnected.
            }
        }

        await running.Process.StopAsync(gracePeriod);
        logger.LogInformation("Worker process {Pid} stopped", running.Process.Id);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record RunningWorker(WorkerProcess Process, WorkerConnection? Connection);
}
