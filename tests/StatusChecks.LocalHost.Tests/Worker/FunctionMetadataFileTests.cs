using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Tests.Worker;

public sealed class FunctionMetadataFileTests
{
    private const string MetadataFile = """
        [
          {
            "name": "GetCheck",
            "scriptFile": "App.dll",
            "entryPoint": "App.Checks.Get",
            "language": "dotnet-isolated",
            "bindings": [
              { "name": "request", "direction": "In", "type": "httpTrigger", "methods": [ "get" ], "route": "checks/{id:long}" },
              { "name": "$return", "type": "http", "direction": "Out" }
            ]
          },
          {
            "name": "Probe",
            "scriptFile": "App.dll",
            "entryPoint": "App.Probe.Run",
            "bindings": [ { "name": "message", "direction": "In", "type": "queueTrigger", "dataType": "Binary", "queueName": "probe" } ]
          }
        ]
        """;

    [Fact]
    public void Parse_FunctionsMetadataFile_KeepsBindingsAsRawJson()
    {
        var functions = FunctionMetadataFile.Parse(MetadataFile);

        Assert.Equal(["GetCheck", "Probe"], functions.Select(f => f.Name));
        Assert.Equal("App.Checks.Get", functions[0].EntryPoint);
        Assert.Equal(2, functions[0].RawBindings.Count);
        Assert.Contains("checks/{id:long}", functions[0].RawBindings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FromMetadata_RawBindingsOnly_FillsIdAndTypedBindingsForTheLoadRequest()
    {
        var function = FunctionDescriptor.FromMetadata(FunctionMetadataFile.Parse(MetadataFile)[1]);

        Assert.Equal("Probe", function.Id);
        Assert.Equal("Probe", function.Metadata.FunctionId);
        var binding = function.Metadata.Bindings["message"];
        Assert.Equal("queueTrigger", binding.Type);
        Assert.Equal(BindingInfo.Types.Direction.In, binding.Direction);
        Assert.Equal(BindingInfo.Types.DataType.Binary, binding.DataType);
        Assert.True(function.IsQueueTrigger);
        Assert.False(function.IsHttpTrigger);
    }

    [Fact]
    public void FromMetadata_HttpFunction_ExposesTriggerPropertiesCaseInsensitively()
    {
        var function = FunctionDescriptor.FromMetadata(FunctionMetadataFile.Parse(MetadataFile)[0]);

        Assert.True(function.IsHttpTrigger);
        Assert.Equal("request", function.Trigger!.Name);
        Assert.Equal("checks/{id:long}", function.Trigger.GetString("ROUTE"));
        Assert.Equal(["get"], function.Trigger.GetStrings("methods"));
        Assert.Equal(BindingInfo.Types.Direction.Out, function.Metadata.Bindings["$return"].Direction);
    }

    [Fact]
    public void FromMetadata_WorkerGaveIdAndBindings_KeepsThemAndDoesNotChangeTheInput()
    {
        var metadata = new RpcFunctionMetadata { Name = "F", FunctionId = "worker-id" };
        metadata.Bindings["req"] = new BindingInfo { Type = "httpTrigger", Direction = BindingInfo.Types.Direction.In };

        var function = FunctionDescriptor.FromMetadata(metadata);

        Assert.Equal("worker-id", function.Id);
        Assert.Equal("req", Assert.Single(function.Bindings).Name);
        Assert.True(function.IsHttpTrigger);
        Assert.Empty(metadata.RawBindings);
    }

    [Fact]
    public void SupportsDeferredBinding_PropertySet_IsTrue()
    {
        Assert.True(TestFunctions.Queue("Q", "q-one", deferred: true).Trigger!.SupportsDeferredBinding);
        Assert.False(TestFunctions.Queue("Q", "q-one").Trigger!.SupportsDeferredBinding);
    }
}
