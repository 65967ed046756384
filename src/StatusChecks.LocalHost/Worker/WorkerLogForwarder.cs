using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>Writes the worker's rpc_log messages to the host's console, under the worker's category and level.</summary>
internal sealed class WorkerLogForwarder(ILoggerFactory loggers)
{
    public void Log(RpcLog log)
    {
        var level = ToLogLevel(log.Level);
        var logger = loggers.CreateLogger(string.IsNullOrEmpty(log.Category) ? "Worker" : log.Category);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        if (log.Exception is { } exception)
        {
            // The worker's exception message usually carries the stack trace already.
            var details = exception.Message.Contains(exception.StackTrace, StringComparison.Ordinal)
                ? exception.Message
                : $"{exception.Message}{Environment.NewLine}{exception.StackTrace}";
            logger.Log(level, "{Message} {Exception}", log.Message, details);
        }
        else
        {
            logger.Log(level, "{Message}", log.Message);
        }
    }

    public static LogLevel ToLogLevel(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
