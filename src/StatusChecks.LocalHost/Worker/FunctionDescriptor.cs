using System.Text.Json;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>One binding of a function, with its raw JSON properties (route, methods, queueName, connection, ...).</summary>
public sealed record BindingDescriptor(string Name, string Type, BindingInfo.Types.Direction Direction, JsonElement Properties)
{
    public bool IsTrigger =>
        Direction == BindingInfo.Types.Direction.In && Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public bool IsType(string type) => Type.Equals(type, StringComparison.OrdinalIgnoreCase);

    /// <summary>A string property, matched case-insensitively as the Functions host does.</summary>
    public string? GetString(string name) =>
        Find(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public IReadOnlyList<string> GetStrings(string name) =>
        Find(name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>Whether the worker binds this parameter to an SDK type (e.g. QueueMessage) via ModelBindingData.</summary>
    public bool SupportsDeferredBinding =>
        Find("properties") is { ValueKind: JsonValueKind.Object } properties
        && properties.EnumerateObject().Any(p =>
            p.Name.Equals("SupportsDeferredBinding", StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Value.ToString(), "true", StringComparison.OrdinalIgnoreCase));

    private JsonElement? Find(string name) => Find(Properties, name);

    /// <summary>A property of a JSON object by case-insensitive name.</summary>
    internal static JsonElement? Find(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}

/// <summary>A function as the host knows it: the worker's metadata (echoed back on load) plus parsed bindings.</summary>
public sealed record FunctionDescriptor(string Id, string Name, RpcFunctionMetadata Metadata, IReadOnlyList<BindingDescriptor> Bindings)
{
    public BindingDescriptor? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger);

    public bool IsHttpTrigger => Trigger?.IsType("httpTrigger") == true;

    public bool IsQueueTrigger => Trigger?.IsType("queueTrigger") == true;

    /// <summary>
    /// Parses the raw bindings and fills what a load request needs but the metadata may lack: a function id
    /// (the name when the worker gave none) and the typed bindings map (from the raw JSON).
    /// </summary>
    public static FunctionDescriptor FromMetadata(RpcFunctionMetadata metadata)
    {
        var copy = metadata.Clone();
        if (string.IsNullOrEmpty(copy.FunctionId))
        {
            copy.FunctionId = copy.Name;
        }

        var bindings = new List<BindingDescriptor>();
        foreach (var raw in copy.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var json = document.RootElement.Clone();
            var binding = new BindingDescriptor(
                Text(json, "name") ?? throw new FormatException($"A binding of function '{copy.Name}' has no name."),
                Text(json, "type") ?? throw new FormatException($"A binding of function '{copy.Name}' has no type."),
                ParseDirection(Text(json, "direction")),
                json);
            bindings.Add(binding);
            if (!copy.Bindings.ContainsKey(binding.Name))
            {
                copy.Bindings[binding.Name] = new BindingInfo
                {
                    Type = binding.Type,
                    Direction = binding.Direction,
                    DataType = ParseDataType(Text(json, "dataType")),
                };
            }
        }

        if (bindings.Count == 0)
        {
            var empty = JsonDocument.Parse("{}").RootElement.Clone();
            bindings.AddRange(copy.Bindings.Select(b => new BindingDescriptor(b.Key, b.Value.Type, b.Value.Direction, empty)));
        }

        return new FunctionDescriptor(copy.FunctionId, copy.Name, copy, bindings);
    }

    private static string? Text(JsonElement json, string name) =>
        BindingDescriptor.Find(json, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static BindingInfo.Types.Direction ParseDirection(string? direction) => direction?.ToUpperInvariant() switch
    {
        "OUT" => BindingInfo.Types.Direction.Out,
        "INOUT" => BindingInfo.Types.Direction.Inout,
        _ => BindingInfo.Types.Direction.In,
    };

    private static BindingInfo.Types.DataType ParseDataType(string? dataType) => dataType?.ToUpperInvariant() switch
    {
        "STRING" => BindingInfo.Types.DataType.String,
        "BINARY" => BindingInfo.Types.DataType.Binary,
        "STREAM" => BindingInfo.Types.DataType.Stream,
        _ => BindingInfo.Types.DataType.Undefined,
    };
}
