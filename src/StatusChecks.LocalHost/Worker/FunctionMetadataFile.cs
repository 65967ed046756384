using System.Text.Json;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Worker;

/// <summary>
/// The SDK's functions.metadata file: used when the worker answers the metadata request with
/// use_default_metadata_indexing (i.e. "host, index the functions yourself").
/// </summary>
public static class FunctionMetadataFile
{
    public static IReadOnlyList<RpcFunctionMetadata> Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "functions.metadata");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : [];
    }

    public static IReadOnlyList<RpcFunctionMetadata> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var functions = new List<RpcFunctionMetadata>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var metadata = new RpcFunctionMetadata
            {
                Name = function.GetProperty("name").GetString(),
                ScriptFile = String(function, "scriptFile"),
                EntryPoint = String(function, "entryPoint"),
                Language = String(function, "language"),
            };
            if (function.TryGetProperty("bindings", out var bindings))
            {
                metadata.RawBindings.AddRange(bindings.EnumerateArray().Select(b => b.GetRawText()));
            }

            functions.Add(metadata);
        }

        return functions;
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
