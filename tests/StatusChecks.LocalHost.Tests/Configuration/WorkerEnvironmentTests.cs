using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Tests.Configuration;

public sealed class WorkerEnvironmentTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void LocalSettingsParse_ValuesSection_ReturnsStringsAndRawTextOfOtherValues()
    {
        var values = LocalSettings.Parse("""
            { "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Flag": true, "Count": 5 } }
            """);

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("true", values["Flag"]);
        Assert.Equal("5", values["Count"]);
    }

    [Fact]
    public void LocalSettingsParse_NoValues_ReturnsEmpty()
    {
        Assert.Empty(LocalSettings.Parse("""{ "IsEncrypted": false }"""));
    }

    [Fact]
    public void WebBaseUrlOf_NotConfigured_IsThisHostsOwnAddress()
    {
        Assert.Equal("http://127.0.0.1:7123", WorkerEnvironment.WebBaseUrlOf(7123, NoEnvironment, new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("StatusChecks__WebBaseUrl")]
    [InlineData("StatusChecks:WebBaseUrl")]
    public void WebBaseUrlOf_Configured_IsTheConfiguredOne(string name)
    {
        var environment = new Dictionary<string, string?> { [name] = "https://gitlab.example.com" };

        Assert.Equal("https://gitlab.example.com", WorkerEnvironment.WebBaseUrlOf(7123, environment, new Dictionary<string, string>()));
    }

    [Fact]
    public void Build_SettingInEnvironmentAndFile_EnvironmentWins()
    {
        var environment = new Dictionary<string, string?> { ["Shared"] = "from-env", ["PATH"] = "/bin" };
        var values = new Dictionary<string, string> { ["Shared"] = "from-file", ["OnlyInFile"] = "file" };

        var result = WorkerEnvironment.Build(environment, values, "/app", "conn", Secrets("token"));

        Assert.Equal("from-env", result["Shared"]);
        Assert.Equal("file", result["OnlyInFile"]);
        Assert.Equal("/bin", result["PATH"]);
    }

    [Fact]
    public void Build_Always_AddsWhatTheFunctionsHostProvides()
    {
        var values = new Dictionary<string, string> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };

        var result = WorkerEnvironment.Build(NoEnvironment, values, "/app", "DefaultEndpointsProtocol=http;AccountName=x", Secrets("secret"));

        Assert.Equal("/app", result["FUNCTIONS_APPLICATION_DIRECTORY"]);
        Assert.Equal("/app", result["FUNCTIONS_WORKER_DIRECTORY"]);
        Assert.Equal("dotnet-isolated", result["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("Development", result["AZURE_FUNCTIONS_ENVIRONMENT"]);
        Assert.Equal("DefaultEndpointsProtocol=http;AccountName=x", result["AzureWebJobsStorage"]);
        Assert.Equal("secret", result["StatusChecks__AdminToken"]);
    }

    [Fact]
    public void Lookup_EmptyEnvironmentValue_FallsBackToLocalSettings()
    {
        var environment = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "" };
        var values = new Dictionary<string, string> { ["AzureWebJobsStorage"] = "from-file" };

        Assert.Equal("from-file", WorkerEnvironment.Lookup("AzureWebJobsStorage", environment, values));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData("usedevelopmentstorage=true;", true)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5", false)]
    public void UsesDevelopmentStorage_ConnectionString_DetectsEmulatorShortcut(string? connection, bool expected)
    {
        Assert.Equal(expected, WorkerEnvironment.UsesDevelopmentStorage(connection));
    }

    [Fact]
    public void ConfiguredAdminToken_BothSpellingsAndSources_PrefersEnvironmentThenDoubleUnderscore()
    {
        var environment = new Dictionary<string, string?> { ["StatusChecks:AdminToken"] = "env-colon" };
        var values = new Dictionary<string, string> { ["StatusChecks__AdminToken"] = "file-underscore" };

        Assert.Equal("env-colon", WorkerEnvironment.Configured("AdminToken", environment, values));
        Assert.Equal("file-underscore", WorkerEnvironment.Configured("AdminToken", NoEnvironment, values));
        Assert.Null(WorkerEnvironment.Configured("AdminToken", NoEnvironment, new Dictionary<string, string>()));
    }

    [Fact]
    public void Build_ColonSpelledTokenInFile_IsOverwrittenWithTheEffectiveToken()
    {
        var values = new Dictionary<string, string> { ["StatusChecks:AdminToken"] = "stale" };

        var result = WorkerEnvironment.Build(NoEnvironment, values, "/app", "conn", Secrets("effective"));

        Assert.Equal("effective", result["StatusChecks:AdminToken"]);
        Assert.Equal("effective", result["StatusChecks__AdminToken"]);
    }

    [Fact]
    public void Build_Secrets_ArePassedUnderTheWorkersSettingNames()
    {
        var result = WorkerEnvironment.Build(NoEnvironment, new Dictionary<string, string>(), "/app", "conn",
            new Dictionary<string, string> { ["AdminToken"] = "token", ["SecretsKey"] = "key" });

        Assert.Equal("token", result["StatusChecks__AdminToken"]);
        Assert.Equal("key", result["StatusChecks__SecretsKey"]);
    }

    private static Dictionary<string, string> Secrets(string adminToken) => new() { ["AdminToken"] = adminToken };
}
