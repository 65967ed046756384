using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

public sealed class FunctionAppTemplateTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    private const string IdentityModule = "identity";

    private ArmResource Site => Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));

    private IReadOnlyDictionary<string, string> Settings => AppSettings.Of(Site);

    [Fact]
    public void Plan_Sku_IsFlexConsumption()
    {
        var plan = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/serverfarms"));
        var sku = plan.Element.GetProperty("sku");

        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
        Assert.Contains("Microsoft.Web/serverfarms", Site.StringProperty("serverFarmId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Site_Transport_IsHttpsOnlyWithTls12()
    {
        Assert.Contains("functionapp", Site.Element.GetProperty("kind").GetString(), StringComparison.Ordinal);
        Assert.True(Site.Properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", Site.Properties.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
    }

    [Fact]
    public void Site_Runtime_IsDotnetIsolatedMatchingTargetFramework()
    {
        var runtime = Site.Properties.GetProperty("functionAppConfig").GetProperty("runtime");
        var version = ResolveLiteral(runtime.GetProperty("version").GetString()!);

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        // The project targets net<version> (Directory.Build.props); the platform must run the same .NET.
        var props = File.ReadAllText(Repository.PathOf("Directory.Build.props"));
        Assert.Contains($"<TargetFramework>net{version}</TargetFramework>", props, StringComparison.Ordinal);
    }

    [Fact]
    public void Site_DeploymentStorage_IsBlobContainerReadWithUserAssignedIdentity()
    {
        var storage = Site.Properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        var authentication = storage.GetProperty("authentication");

        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.True(Site.Owner.Resolve(storage.GetProperty("value").GetString()!).IsModuleOutput("storage", "deploymentContainerUrl"));
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.True(Site.Owner.Resolve(authentication.GetProperty("userAssignedIdentityResourceId").GetString()!).IsModuleOutput(IdentityModule, "id"));
    }

    [Fact]
    public void Site_Identity_IsTheUserAssignedIdentityUsedForKeyVaultReferences()
    {
        var identity = Site.Element.GetProperty("identity");
        var assigned = Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject());

        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.True(Site.Owner.Resolve(Unwrap(assigned.Name)).IsModuleOutput(IdentityModule, "id"), assigned.Name);
        Assert.True(Site.Owner.Resolve(Site.StringProperty("keyVaultReferenceIdentity")!).IsModuleOutput(IdentityModule, "id"));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "storage", "blobEndpoint")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "storage", "queueEndpoint")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "storage", "tableEndpoint")]
    [InlineData("AzureWebJobsStorage__clientId", IdentityModule, "clientId")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "monitoring", "applicationInsightsConnectionString")]
    public void AppSettings_IdentityBasedConnections_ComeFromModuleOutputs(string setting, string module, string output)
    {
        Assert.True(Settings.TryGetValue(setting, out var value), $"{setting} is missing");
        Assert.True(Site.Owner.Resolve(value).IsModuleOutput(module, output), $"{setting} = {value}");
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    [InlineData("StatusChecks__Notifications__AllowPrivateNetworks", "false")]
    [InlineData("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", "1048576")]
    public void AppSettings_FixedValues_AreSet(string setting, string expected)
    {
        Assert.Equal(expected, Settings.GetValueOrDefault(setting));
    }

    [Fact]
    public void AppSettings_ApplicationInsightsAuthentication_UsesEntraIdWithAppIdentity()
    {
        var value = Settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");

        Assert.Equal("[format('Authorization=AAD;ClientId={0}', parameters('identityClientId'))]", value);
        Assert.True(Site.Owner.Resolve("[parameters('identityClientId')]").IsModuleOutput(IdentityModule, "clientId"));
    }

    [Fact]
    public void AppSettings_Storage_HasNoConnectionString()
    {
        Assert.DoesNotContain("AzureWebJobsStorage", Settings.Keys);
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], Settings.Keys.Where(k => k.Contains("CONNECTION", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("StatusChecks__AdminToken", "adminTokenSecretUri")]
    [InlineData("StatusChecks__SecretsKey", "secretsKeySecretUri")]
    public void AppSettings_Secret_IsKeyVaultReferenceToTheVaultSecret(string setting, string vaultOutput)
    {
        var value = Settings.GetValueOrDefault(setting);

        Assert.NotNull(value);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', parameters(", value, StringComparison.Ordinal);
        var parameter = value.Split("parameters(")[1].TrimEnd(')', ']');
        Assert.True(Site.Owner.Resolve($"[parameters({parameter})]").IsModuleOutput("keyvault", vaultOutput), value);
    }

    [Fact]
    public void AppSettings_PreviousSecretsKey_IsAVersionOfTheVaultSecretOrEmpty()
    {
        var value = Settings.GetValueOrDefault("StatusChecks__PreviousSecretsKeys__0");

        // Empty until a rotation names the replaced version; then that exact version of the same secret.
        Assert.Equal(
            "[if(empty(parameters('previousSecretsKeyVersion')), '', format('@Microsoft.KeyVault(SecretUri={0}/{1})', parameters('secretsKeySecretUri'), parameters('previousSecretsKeyVersion')))]",
            value);
        Assert.True(Site.Owner.Resolve("[parameters('secretsKeySecretUri')]").IsModuleOutput("keyvault", "secretsKeySecretUri"));
        Assert.True(Site.Owner.Resolve("[parameters('previousSecretsKeyVersion')]").IsRootParameter("previousSecretsKeyVersion"));
    }

    [Fact]
    public void Site_AzdServiceNameTag_NamesAServiceInAzureYaml()
    {
        var tags = Site.Element.GetProperty("tags").GetString()!;
        Assert.Contains("createObject('azd-service-name', parameters('serviceName'))", tags, StringComparison.Ordinal);

        var serviceName = ResolveLiteral("[parameters('serviceName')]");

        Assert.Contains(serviceName, AzureYaml.Load().Services.Keys);
    }

    [Fact]
    public void ResourceGroup_Tags_CarryAzdEnvName()
    {
        var group = Assert.Single(compiled.ResourcesOfType("Microsoft.Resources/resourceGroups"));
        var tags = compiled.Root.Dereference(group.Element.GetProperty("tags"));

        Assert.Equal("[parameters('environmentName')]", tags.GetProperty("azd-env-name").GetString());
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("SERVICE_API_BASE_URL")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    public void Outputs_ForAzd_AreDeclared(string output)
    {
        Assert.True(compiled.Root.Template.GetProperty("outputs").TryGetProperty(output, out _), output);
    }

    [Fact]
    public void Outputs_ApiBaseUrl_IsHttpsHostWithApiPrefix()
    {
        var value = compiled.Root.Template.GetProperty("outputs").GetProperty("SERVICE_API_BASE_URL").GetProperty("value").GetString()!;

        Assert.StartsWith("[format('https://{0}/api', reference(", value, StringComparison.Ordinal);
        Assert.Contains(".outputs.defaultHostName.value", value, StringComparison.Ordinal);
    }

    // The value a parameter of the site's template ends at, which must be a plain literal.
    private string ResolveLiteral(string expression)
    {
        var resolved = Site.Owner.Resolve(expression).Expression;
        Assert.False(resolved.StartsWith('['), $"{expression} does not resolve to a literal: {resolved}");
        return resolved;
    }

    private static string Unwrap(string expression) =>
        expression.StartsWith("[format('{0}', ", StringComparison.Ordinal)
            ? "[" + expression["[format('{0}', ".Length..^2] + "]"
            : expression;
}
