using System.Text;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using StatusChecks.LocalHost.Configuration;
using StatusChecks.LocalHost.Queues;
using StatusChecks.LocalHost.Rpc;

namespace StatusChecks.LocalHost.Tests.Queues;

public sealed class QueueBindingConverterTests
{
    private static readonly DateTimeOffset Inserted = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("aGVsbG8=", true, "hello")]
    [InlineData("", true, "")]
    [InlineData("plain text", false, "plain text")]
    public void Decode_ValidInput_ReturnsPayload(string stored, bool base64, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(QueueBindingConverter.Decode(stored, base64)!));
    }

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("{\"id\":1}")]
    [InlineData("abc")]
    public void Decode_InvalidBase64_ReturnsNull(string stored)
    {
        Assert.Null(QueueBindingConverter.Decode(stored, base64: true));
    }

    [Fact]
    public void ToInvocationRequest_StringTrigger_SendsTextAndWebJobsMetadata()
    {
        var message = QueuesModelFactory.QueueMessage("m1", "r1", "ignored", 3, Inserted.AddMinutes(1), Inserted, Inserted.AddDays(7));

        var invocation = QueueBindingConverter.ToInvocationRequest(
            TestFunctions.Queue("Probe", "probe"), message, Encoding.UTF8.GetBytes("""{"id":"p"}"""), "inv");

        var binding = Assert.Single(invocation.InputData);
        Assert.Equal("message", binding.Name);
        Assert.Equal("""{"id":"p"}""", binding.Data.String);
        Assert.Equal("id-Probe", invocation.FunctionId);
        Assert.NotEmpty(invocation.TraceContext.TraceParent);
        var metadata = invocation.TriggerMetadata;
        Assert.Equal("""{"id":"p"}""", metadata["QueueTrigger"].String);
        Assert.Equal("m1", metadata["Id"].String);
        Assert.Equal("r1", metadata["PopReceipt"].String);
        Assert.Equal("3", metadata["DequeueCount"].Json);
        Assert.Equal(Inserted, JsonSerializer.Deserialize<DateTimeOffset>(metadata["InsertionTime"].Json));
        Assert.Equal(Inserted.AddDays(7), JsonSerializer.Deserialize<DateTimeOffset>(metadata["ExpirationTime"].Json));
        Assert.Equal(Inserted.AddMinutes(1), JsonSerializer.Deserialize<DateTimeOffset>(metadata["NextVisibleTime"].Json));
    }

    [Fact]
    public void ToInvocationRequest_BinaryTrigger_SendsBytes()
    {
        var message = QueuesModelFactory.QueueMessage("m1", "r1", "", 1);

        var invocation = QueueBindingConverter.ToInvocationRequest(
            TestFunctions.Queue("Probe", "probe", dataType: "Binary"), message, [1, 2, 255], "inv");

        Assert.Equal(new byte[] { 1, 2, 255 }, invocation.InputData.Single().Data.Bytes.ToByteArray());
    }

    [Fact]
    public void ToInvocationRequest_DeferredBinding_SendsModelBindingDataTheWorkerCanRead()
    {
        var message = QueuesModelFactory.QueueMessage("m1", "r1", "", 2, Inserted, Inserted, Inserted);

        var invocation = QueueBindingConverter.ToInvocationRequest(
            TestFunctions.Queue("Probe", "probe", deferred: true), message, Encoding.UTF8.GetBytes("hi"), "inv");

        var data = invocation.InputData.Single().Data.ModelBindingData;
        Assert.Equal("AzureStorageQueues", data.Source);
        Assert.Equal("application/json", data.ContentType);
        var content = JsonDocument.Parse(data.Content.ToStringUtf8()).RootElement;
        Assert.Equal("hi", content.GetProperty("MessageText").GetString());
        Assert.Equal(2, content.GetProperty("DequeueCount").GetInt64());
    }

    [Fact]
    public void Resolve_DefaultConnectionAndPlaceholderName_UsesAppSettings()
    {
        var settings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = "conn", ["ProbeQueue"] = "platform-probe" };

        var binding = QueueTriggerBinding.Resolve(TestFunctions.Queue("Probe", "%ProbeQueue%"), settings);

        Assert.Equal(new QueueTriggerBinding("platform-probe", "conn"), binding);
        Assert.Equal("platform-probe-poison", binding.PoisonQueueName);
    }

    [Fact]
    public void Resolve_NamedConnection_AlsoTriesAzureWebJobsPrefix()
    {
        var settings = new Dictionary<string, string> { ["AzureWebJobsNotifications"] = "notify-conn" };

        var binding = QueueTriggerBinding.Resolve(TestFunctions.Queue("Probe", "probe", connection: "Notifications"), settings);

        Assert.Equal("notify-conn", binding.ConnectionString);
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("ab")]
    [InlineData("double--dash")]
    [InlineData("%Missing%")]
    public void Resolve_InvalidQueueName_ThrowsLocalHostException(string queueName)
    {
        var settings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = "conn" };

        Assert.Throws<LocalHostException>(() => QueueTriggerBinding.Resolve(TestFunctions.Queue("Probe", queueName), settings));
    }

    [Fact]
    public void Resolve_MissingConnection_ThrowsLocalHostException()
    {
        Assert.Throws<LocalHostException>(() => QueueTriggerBinding.Resolve(TestFunctions.Queue("Probe", "probe"), new Dictionary<string, string>()));
    }

    [Fact]
    public void PollingBackoff_EmptyQueue_DoublesFrom100MsUpToMaxAndResets()
    {
        var backoff = new PollingBackoff(TimeSpan.FromMilliseconds(500));

        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        backoff.Reset();

        Assert.Equal([100, 200, 400, 500, 500], delays);
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
    }
}
