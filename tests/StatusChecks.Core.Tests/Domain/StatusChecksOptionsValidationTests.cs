using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

/// <summary>
/// What stops the app at start (issue 12 item 5), through the domain's registration and the same start-up
/// validator the host runs, with messages that name the setting and never print its value.
/// </summary>
public sealed class StatusChecksOptionsValidationTests
{
    private const string ValidKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    [Theory]
    [InlineData("StatusChecks:AdminToken", "@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/statuschecks-admin-token)", "StatusChecks:AdminToken is an unresolved Key Vault reference")]
    [InlineData("StatusChecks:SecretsKey", "@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/statuschecks-secrets-key)", "StatusChecks:SecretsKey is an unresolved Key Vault reference")]
    [InlineData("StatusChecks:PreviousSecretsKeys:0", "@Microsoft.KeyVault(VaultName=kv-abc;SecretName=old)", "StatusChecks:PreviousSecretsKeys:0 is an unresolved Key Vault reference")]
    [InlineData("StatusChecks:AdminToken", "nineteen-characters", "StatusChecks:AdminToken must be at least 20 characters")]
    [InlineData("StatusChecks:AdminToken", "x", "StatusChecks:AdminToken must be at least 20 characters")]
    [InlineData("StatusChecks:SecretsKey", "c2hvcnQta2V5", "StatusChecks:SecretsKey must be base64 of 32 bytes")]
    [InlineData("StatusChecks:PreviousSecretsKeys:0", "not base64!", "StatusChecks:PreviousSecretsKeys:0 must be base64 of 32 bytes")]
    public void Start_UnusableSecretSetting_RefusedWithAMessageWithoutTheValue(string setting, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Start(new() { [setting] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("twenty-characters-ok")]
    public void Start_AdminTokenUnsetOrLongEnough_Starts(string? adminToken) =>
        Start(new()
        {
            ["StatusChecks:AdminToken"] = adminToken,
            ["StatusChecks:SecretsKey"] = ValidKey,
            ["StatusChecks:PreviousSecretsKeys:0"] = ValidKey,
        });

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    public void Start_AccessCacheDurationOutOfRange_Refused(string duration) =>
        Assert.Contains(
            "StatusChecks:AccessCacheDuration must be 00:00:00 (no cache) to 00:05:00",
            Assert.Throws<OptionsValidationException>(() => Start(new() { ["StatusChecks:AccessCacheDuration"] = duration })).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:05:00")]
    public void Start_AccessCacheDurationInRange_Starts(string duration) =>
        Start(new() { ["StatusChecks:AccessCacheDuration"] = duration });

    [Theory]
    [InlineData(null, null, "http://localhost/")]
    [InlineData("statuschecks-abc.azurewebsites.net", null, "https://statuschecks-abc.azurewebsites.net/")]
    [InlineData("statuschecks-abc.azurewebsites.net", "https://checks.example.com", "https://checks.example.com/")]
    [InlineData(null, "https://checks.example.com", "https://checks.example.com/")]
    public void WebBaseUrl_Unset_IsThePlatformHostNameOverHttps(string? platformHostName, string? configured, string expected)
    {
        // Only the settings given: an unset one is absent, as in the environment.
        var settings = new Dictionary<string, string?> { ["WEBSITE_HOSTNAME"] = platformHostName, ["StatusChecks:WebBaseUrl"] = configured }
            .Where(setting => setting.Value is not null);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddStatusChecksDomain(configuration).BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<StatusChecksOptions>>().Value.WebBaseUrl.AbsoluteUri);
    }

    // Registers the domain as the app does and runs the start-up validation the host runs (ValidateOnStart).
    private static void Start(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddStatusChecksDomain(configuration).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
