using Azure.Storage.Queues;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Queues;

/// <summary>Starts one queue poller per queue-triggered function once the worker has loaded its functions.</summary>
internal sealed class QueueTriggerListener(
    FunctionRegistry registry,
    LocalHostContext context,
    IFunctionInvoker invoker,
    ILoggerFactory loggers,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    // Long enough for ordinary functions; KeepInvisibleAsync renews it for slow ones.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<FunctionDescriptor> functions;
        try
        {
            functions = await registry.WhenLoadedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var pollers = new List<QueuePoller>();
        foreach (var function in functions.Where(f => f.IsQueueTrigger))
        {
            try
            {
                pollers.Add(CreatePoller(function));
            }
            catch (LocalHostException ex)
            {
                logger.LogError("Queue trigger not started: {Error}", ex.Message);
            }
        }

        await Task.WhenAll(pollers.Select(poller => poller.RunAsync(stoppingToken)));
    }

    private QueuePoller CreatePoller(FunctionDescriptor function)
    {
        var binding = QueueTriggerBinding.Resolve(function, context.WorkerVariables);
        // The host decodes base64 itself (to send undecodable messages to poison), so the SDK must not.
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        var queue = new QueueClient(binding.ConnectionString, binding.QueueName, options);
        var poison = new QueueClient(binding.ConnectionString, binding.PoisonQueueName, options);
        var functionLogger = loggers.CreateLogger($"Function.{function.Name}.Queue");
        var settings = context.Host.Queues;
        var handler = new QueueMessageHandler(function, queue, poison, settings, Lease, invoker, functionLogger);
        return new QueuePoller(queue, handler, settings, functionLogger);
    }
}
