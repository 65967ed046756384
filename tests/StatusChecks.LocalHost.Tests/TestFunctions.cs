using System.Text.Json;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests;

/// <summary>Fake function metadata, shaped like what the worker sends (raw bindings as JSON strings).</summary>
internal static class TestFunctions
{
    public static FunctionDescriptor Http(string name, string? route, params string[] methods)
    {
        var trigger = new Dictionary<string, object?>
        {
            ["name"] = "request",
            ["direction"] = "In",
            ["type"] = "httpTrigger",
            ["authLevel"] = "Anonymous",
            ["methods"] = methods,
        };
        if (route is not null)
        {
            trigger["route"] = route;
        }

        return Function(name, trigger, new { name = "$return", type = "http", direction = "Out" });
    }

    public static FunctionDescriptor Queue(string name, string queueName, string? connection = null, string dataType = "String", bool deferred = false)
    {
        var trigger = new Dictionary<string, object?>
        {
            ["name"] = "message",
            ["direction"] = "In",
            ["type"] = "queueTrigger",
            ["dataType"] = dataType,
            ["queueName"] = queueName,
            ["properties"] = deferred ? new Dictionary<string, string> { ["SupportsDeferredBinding"] = "True" } : new Dictionary<string, string>(),
        };
        if (connection is not null)
        {
            trigger["connection"] = connection;
        }

        return Function(name, trigger);
    }

    public static FunctionDescriptor Function(string name, params object[] bindings)
    {
        var metadata = new RpcFunctionMetadata
        {
            Name = name,
            FunctionId = "id-" + name,
            ScriptFile = "App.dll",
            EntryPoint = "App." + name + ".Run",
        };
        metadata.RawBindings.AddRange(bindings.Select(b => JsonSerializer.Serialize(b)));
        return FunctionDescriptor.FromMetadata(metadata);
    }
}
