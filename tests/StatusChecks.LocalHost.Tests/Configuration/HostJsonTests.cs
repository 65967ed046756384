using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Tests.Configuration;

public sealed class HostJsonTests
{
    [Fact]
    public void Parse_NoExtensions_UsesFunctionsHostDefaults()
    {
        var settings = HostJson.Parse("""{ "version": "2.0" }""");

        Assert.Equal("api", settings.RoutePrefix);
        Assert.Equal(16, settings.Queues.BatchSize);
        Assert.Equal(8, settings.Queues.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Queues.MaxPollingInterval);
        Assert.Equal(TimeSpan.Zero, settings.Queues.VisibilityTimeout);
        Assert.Equal(5, settings.Queues.MaxDequeueCount);
        Assert.True(settings.Queues.Base64Encoding);
    }

    [Fact]
    public void Parse_QueueAndHttpSettings_ReadsEveryValue()
    {
        var settings = HostJson.Parse("""
            {
              // comments are allowed in host.json
              "extensions": {
                "http": { "routePrefix": "/v1/" },
                "queues": {
                  "batchSize": 4, "newBatchThreshold": 1, "maxDequeueCount": 3,
                  "visibilityTimeout": "00:00:10", "maxPollingInterval": "00:00:02", "messageEncoding": "none",
                },
              },
            }
            """);

        Assert.Equal("v1", settings.RoutePrefix);
        Assert.Equal(new QueuesSettings(4, 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 3, false), settings.Queues);
    }

    [Fact]
    public void Parse_EmptyRoutePrefix_KeepsItEmpty()
    {
        Assert.Equal("", HostJson.Parse("""{ "extensions": { "http": { "routePrefix": "" } } }""").RoutePrefix);
    }

    [Fact]
    public void Parse_BatchSizeAboveServiceLimit_IsClampedTo32AndThresholdFollows()
    {
        var settings = HostJson.Parse("""{ "extensions": { "queues": { "batchSize": 100 } } }""");

        Assert.Equal(32, settings.Queues.BatchSize);
        Assert.Equal(16, settings.Queues.NewBatchThreshold);
    }

    [Theory]
    [InlineData("""{ "extensions": { "queues": { "messageEncoding": "utf-16" } } }""")]
    [InlineData("""{ "extensions": """)]
    public void Parse_InvalidContent_ThrowsLocalHostException(string json)
    {
        Assert.Throws<LocalHostException>(() => HostJson.Parse(json));
    }

    [Fact]
    public void Parse_AppSettingOverrides_WinOverHostJsonWhateverTheirCasing()
    {
        var settings = HostJson.Parse(
            """{ "extensions": { "Queues": { "visibilityTimeout": "00:00:10", "batchSize": 4 } } }""",
            new Dictionary<string, string>
            {
                ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00.200",
                ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "2",
                ["AzureFunctionsJobHost__extensions__http__routePrefix"] = "gitlab",
                ["Unrelated__extensions__queues__batchSize"] = "9",
            });

        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Queues.VisibilityTimeout);
        Assert.Equal(2, settings.Queues.MaxDequeueCount);
        Assert.Equal(4, settings.Queues.BatchSize);
        Assert.Equal("gitlab", settings.RoutePrefix);
    }
}
