using System.Text.RegularExpressions;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Queues;

/// <summary>The queue a queue-triggered function listens to, with its settings resolved from the app settings.</summary>
public sealed partial record QueueTriggerBinding(string QueueName, string ConnectionString)
{
    public string PoisonQueueName => QueueName + "-poison";

    /// <summary>
    /// Resolves <c>queueName</c> (with <c>%setting%</c> placeholders) and the <c>connection</c> setting (default
    /// AzureWebJobsStorage; also tried with the AzureWebJobs prefix, as the Functions host does).
    /// </summary>
    public static QueueTriggerBinding Resolve(FunctionDescriptor function, IReadOnlyDictionary<string, string> settings)
    {
        var trigger = function.Trigger ?? throw new LocalHostException($"Function '{function.Name}' has no trigger.");
        var queueName = Placeholder().Replace(trigger.GetString("queueName") ?? "", match =>
            settings.TryGetValue(match.Groups[1].Value, out var value)
                ? value
                : throw new LocalHostException($"Function '{function.Name}': app setting '{match.Groups[1].Value}' used in its queue name is not set."));
        if (!QueueNameRule().IsMatch(queueName))
        {
            throw new LocalHostException(
                $"Function '{function.Name}': '{queueName}' is not a valid queue name (3-63 lower-case letters, digits and single dashes).");
        }

        var connectionName = trigger.GetString("connection") is { Length: > 0 } name ? name : WorkerEnvironment.StorageSetting;
        var connection = settings.GetValueOrDefault(connectionName) ?? settings.GetValueOrDefault("AzureWebJobs" + connectionName);
        return string.IsNullOrWhiteSpace(connection)
            ? throw new LocalHostException($"Function '{function.Name}': connection setting '{connectionName}' is not set.")
            : new QueueTriggerBinding(queueName, connection);
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex QueueNameRule();
}
