using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace StatusChecks.Functions.Platform;

/// <summary>
/// Proves the queue path end to end (host polling, base64 decoding, retries, poison queue) until the notification
/// fan-out replaces it: each message is recorded in the <c>PlatformProbe</c> table; a message asking to fail
/// throws, so the host retries it and finally moves it to <c>platform-probe-poison</c>.
/// </summary>
public sealed class PlatformProbeFunction(TableServiceClient tables, ILogger<PlatformProbeFunction> logger)
{
    public const string QueueName = "platform-probe";
    public const string TableName = "PlatformProbe";

    [Function("PlatformProbe")]
    public async Task Run(
        [QueueTrigger(QueueName)] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var probe = JsonSerializer.Deserialize<ProbeMessage>(message, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("Empty probe message.");
        logger.LogInformation("Probe {ProbeId} received, attempt {Attempt}", probe.Id, dequeueCount);

        var table = tables.GetTableClient(TableName);
        await table.CreateIfNotExistsAsync(cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity("probe", probe.Id) { ["Attempts"] = dequeueCount, ["Failed"] = probe.Fail },
            TableUpdateMode.Replace,
            cancellationToken);

        if (probe.Fail)
        {
            throw new InvalidOperationException($"Probe {probe.Id} asked to fail.");
        }
    }

    private sealed record ProbeMessage(string Id, bool Fail);
}
