using System.Text.Json;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

/// <summary>main.parameters.json is what azd fills from its environment; ARM rejects a parameter the template lacks.</summary>
public sealed class ParametersFileTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    private static readonly Dictionary<string, string> Mapped = Load();

    [Fact]
    public void ParametersFile_EveryParameter_IsDeclaredByMainTemplate()
    {
        Assert.All(Mapped.Keys, name => Assert.NotNull(compiled.Root.ParameterDeclaration(name)));
    }

    [Fact]
    public void ParametersFile_RequiredParameters_AreMappedOrPrompted()
    {
        var required = compiled.Root.Template.GetProperty("parameters").EnumerateObject()
            .Where(p => !p.Value.TryGetProperty("defaultValue", out _))
            .Select(p => p.Name);

        // azd prompts for a mapped variable that is unset, so mapping every required parameter is enough.
        Assert.All(required, name => Assert.True(Mapped.ContainsKey(name), $"{name} is not in main.parameters.json"));
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("principalId", "${AZURE_PRINCIPAL_ID}")]
    [InlineData("adminToken", "${STATUSCHECKS_ADMIN_TOKEN}")]
    [InlineData("secretsKey", "${STATUSCHECKS_SECRETS_KEY}")]
    [InlineData("previousSecretsKeyVersion", "${STATUSCHECKS_PREVIOUS_SECRETS_KEY_VERSION}")]
    public void ParametersFile_Parameter_ComesFromAzdEnvironment(string parameter, string expected)
    {
        Assert.Equal(expected, Mapped.GetValueOrDefault(parameter));
    }

    private static Dictionary<string, string> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")));
        return document.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString() ?? "");
    }
}
