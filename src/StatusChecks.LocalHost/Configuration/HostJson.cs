using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>Queue trigger settings (host.json <c>extensions.queues</c>), with the Functions host's defaults.</summary>
public sealed record QueuesSettings(
    int BatchSize,
    int NewBatchThreshold,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int MaxDequeueCount,
    bool Base64Encoding)
{
    public static QueuesSettings Default { get; } = new(16, 8, TimeSpan.FromMinutes(1), TimeSpan.Zero, 5, true);
}

/// <summary>The parts of host.json this host honours.</summary>
public sealed record HostSettings(string RoutePrefix, QueuesSettings Queues)
{
    public static HostSettings Default { get; } = new("api", QueuesSettings.Default);
}

/// <summary>
/// Reads host.json (comments and trailing commas allowed, property names case-insensitive), with the app settings
/// that override it as in the real host: <c>AzureFunctionsJobHost__extensions__queues__batchSize=8</c>.
/// </summary>
public static class HostJson
{
    public const string OverridePrefix = "AzureFunctionsJobHost__";

    private const int MaxBatchSize = 32; // the Storage queue service returns at most 32 messages per receive

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString, // overrides arrive as strings
    };

    public static HostSettings Load(string appDirectory, IReadOnlyDictionary<string, string> appSettings)
    {
        var path = Path.Combine(appDirectory, "host.json");
        return Parse(File.Exists(path) ? File.ReadAllText(path) : "{}", appSettings);
    }

    public static HostSettings Parse(string json, IReadOnlyDictionary<string, string>? appSettings = null)
    {
        HostJsonFile? file;
        try
        {
            var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                as JsonObject ?? [];
            foreach (var (name, value) in appSettings ?? new Dictionary<string, string>())
            {
                if (name.StartsWith(OverridePrefix, StringComparison.OrdinalIgnoreCase))
                {
                    Override(root, name[OverridePrefix.Length..].Split("__"), value);
                }
            }

            file = root.Deserialize<HostJsonFile>(JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new LocalHostException($"host.json is not valid: {ex.Message}", ex);
        }

        var http = file?.Extensions?.Http;
        var queues = file?.Extensions?.Queues;
        var defaults = QueuesSettings.Default;
        var batchSize = Math.Clamp(queues?.BatchSize ?? defaults.BatchSize, 1, MaxBatchSize);
        var encoding = queues?.MessageEncoding ?? "base64";
        if (!encoding.Equals("base64", StringComparison.OrdinalIgnoreCase)
            && !encoding.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            throw new LocalHostException($"host.json extensions.queues.messageEncoding must be 'base64' or 'none', not '{encoding}'.");
        }

        return new HostSettings(
            (http?.RoutePrefix ?? "api").Trim('/'),
            new QueuesSettings(
                batchSize,
                Math.Max(0, queues?.NewBatchThreshold ?? batchSize / 2),
                queues?.MaxPollingInterval ?? defaults.MaxPollingInterval,
                queues?.VisibilityTimeout ?? defaults.VisibilityTimeout,
                Math.Max(1, queues?.MaxDequeueCount ?? defaults.MaxDequeueCount),
                encoding.Equals("base64", StringComparison.OrdinalIgnoreCase)));
    }

    private static void Override(JsonObject root, string[] path, string value)
    {
        var node = root;
        foreach (var segment in path[..^1])
        {
            var key = ExistingKey(node, segment);
            if (node[key] is not JsonObject child)
            {
                child = [];
                node[key] = child;
            }

            node = child;
        }

        node[ExistingKey(node, path[^1])] = value;
    }

    // host.json names are case-insensitive: override the property that is there, whatever its casing.
    private static string ExistingKey(JsonObject node, string name) =>
        node.Select(property => property.Key).FirstOrDefault(key => key.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private sealed record HostJsonFile(ExtensionsSection? Extensions);

    private sealed record ExtensionsSection(HttpSection? Http, QueuesSection? Queues);

    private sealed record HttpSection(string? RoutePrefix);

    private sealed record QueuesSection(
        int? BatchSize,
        int? NewBatchThreshold,
        TimeSpan? MaxPollingInterval,
        TimeSpan? VisibilityTimeout,
        int? MaxDequeueCount,
        string? MessageEncoding);
}
