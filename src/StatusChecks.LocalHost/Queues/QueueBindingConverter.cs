using System.Text;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using StatusChecks.LocalHost.Rpc;
using StatusChecks.LocalHost.Worker;

namespace StatusChecks.LocalHost.Queues;

/// <summary>Turns a queue message into the worker's invocation, as the Functions queue extension does.</summary>
public static class QueueBindingConverter
{
    /// <summary>The payload per host.json messageEncoding; null when base64 is expected but the text is not base64.</summary>
    public static byte[]? Decode(string storedText, bool base64)
    {
        if (!base64)
        {
            return Encoding.UTF8.GetBytes(storedText);
        }

        var buffer = new byte[(storedText.Length + 3) / 4 * 3];
        return Convert.TryFromBase64String(storedText, buffer, out var written) ? buffer[..written] : null;
    }

    public static InvocationRequest ToInvocationRequest(
        FunctionDescriptor function, QueueMessage message, byte[] payload, string invocationId)
    {
        var trigger = function.Trigger ?? throw new ArgumentException($"Function '{function.Name}' has no trigger.", nameof(function));
        var text = Encoding.UTF8.GetString(payload);
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.Id,
            TraceContext = TraceContexts.Current(),
        };
        invocation.InputData.Add(new ParameterBinding { Name = trigger.Name, Data = BindingData(function, trigger, message, payload, text) });

        // WebJobs' names for the queue trigger's binding data.
        var metadata = invocation.TriggerMetadata;
        metadata["QueueTrigger"] = new TypedData { String = text };
        metadata["Id"] = new TypedData { String = message.MessageId };
        metadata["PopReceipt"] = new TypedData { String = message.PopReceipt ?? "" };
        metadata["DequeueCount"] = new TypedData { Json = JsonSerializer.Serialize(message.DequeueCount) };
        metadata["InsertionTime"] = new TypedData { Json = JsonSerializer.Serialize(message.InsertedOn) };
        metadata["ExpirationTime"] = new TypedData { Json = JsonSerializer.Serialize(message.ExpiresOn) };
        metadata["NextVisibleTime"] = new TypedData { Json = JsonSerializer.Serialize(message.NextVisibleOn) };
        return invocation;
    }

    private static TypedData BindingData(
        FunctionDescriptor function, BindingDescriptor trigger, QueueMessage message, byte[] payload, string text)
    {
        if (trigger.SupportsDeferredBinding)
        {
            // SDK-type parameters (QueueMessage, BinaryData, JsonElement): the worker rebuilds the message from JSON.
            var content = JsonSerializer.SerializeToUtf8Bytes(new
            {
                message.MessageId,
                message.PopReceipt,
                MessageText = text,
                message.DequeueCount,
                message.NextVisibleOn,
                message.InsertedOn,
                message.ExpiresOn,
            });
            return new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = ByteString.CopyFrom(content),
                },
            };
        }

        var binary = function.Metadata.Bindings.TryGetValue(trigger.Name, out var info)
            && info.DataType == BindingInfo.Types.DataType.Binary;
        return binary ? new TypedData { Bytes = ByteString.CopyFrom(payload) } : new TypedData { String = text };
    }
}
