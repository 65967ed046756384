using System.Text.Json;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

/// <summary>Identity-only access: no keys, no connection strings, locked-down storage and Key Vault.</summary>
public sealed class TemplateSecurityTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    [Theory]
    [InlineData("listKeys")]
    [InlineData("listAccountSas")]
    [InlineData("listServiceSas")]
    [InlineData("listConnectionStrings")]
    [InlineData("AccountKey=")]
    [InlineData("DefaultEndpointsProtocol")]
    [InlineData("SharedAccessSignature")]
    [InlineData("UseDevelopmentStorage")]
    public void CompiledTemplate_AnyString_HasNoKeyOrConnectionStringMaterial(string forbidden)
    {
        Assert.NotEmpty(compiled.Json);
        Assert.DoesNotContain(forbidden, compiled.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void StorageAccount_Properties_AllowOnlyEntraIdOverHttps()
    {
        var storage = Assert.Single(compiled.ResourcesOfType("Microsoft.Storage/storageAccounts"));

        Assert.False(storage.Properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(storage.Properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.StringProperty("minimumTlsVersion"));
        Assert.False(storage.Properties.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers")]
    public void StorageAccount_Services_AreDeclared(string type)
    {
        Assert.NotEmpty(compiled.ResourcesOfType(type));
    }

    [Fact]
    public void StorageAccount_DeploymentContainer_IsPrivate()
    {
        var container = Assert.Single(compiled.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers"));

        Assert.Equal("None", container.StringProperty("publicAccess"));
    }

    [Fact]
    public void KeyVault_Properties_UseRbacAndSoftDelete()
    {
        var vault = Assert.Single(compiled.ResourcesOfType("Microsoft.KeyVault/vaults"));

        Assert.True(vault.Properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.Properties.GetProperty("enableSoftDelete").GetBoolean());
        Assert.False(vault.Properties.TryGetProperty("accessPolicies", out var policies) && policies.GetArrayLength() > 0);
    }

    [Fact]
    public void ApplicationInsights_Properties_DisableLocalAuth()
    {
        var insights = Assert.Single(compiled.ResourcesOfType("Microsoft.Insights/components"));

        Assert.True(insights.Properties.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.NotNull(insights.StringProperty("WorkspaceResourceId"));
        Assert.Single(compiled.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
    }

    [Theory]
    [InlineData("adminToken")]
    [InlineData("secretsKey")]
    public void Secret_RootParameter_IsSecure(string name)
    {
        var declaration = compiled.Root.ParameterDeclaration(name);

        Assert.NotNull(declaration);
        Assert.Equal("securestring", declaration.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void AdminToken_RootParameter_AtLeastTheAppsMinimumLength()
    {
        // The app refuses to start with an admin token under 20 characters (StatusChecksOptionsValidation).
        Assert.Equal(20, compiled.Root.ParameterDeclaration("adminToken")!.Value.GetProperty("minLength").GetInt32());
    }

    [Fact]
    public void SecretsKey_RootParameter_IsTheBase64LengthOf32Bytes()
    {
        var declaration = compiled.Root.ParameterDeclaration("secretsKey")!.Value;

        Assert.Equal(44, declaration.GetProperty("minLength").GetInt32());
        Assert.Equal(44, declaration.GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public void KeyVault_Secrets_AreTheAdminTokenAndTheSecretsKey()
    {
        Assert.Equal(2, compiled.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Count);
        Assert.Contains("\"statuschecks-admin-token\"", compiled.Json, StringComparison.Ordinal);
        Assert.Contains("\"statuschecks-secrets-key\"", compiled.Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("adminToken")]
    [InlineData("secretsKey")]
    public void Secret_FlowsOnlyIntoKeyVaultSecret(string rootParameter)
    {
        // Every template that receives the token must declare it secure and use it only as a vault secret value.
        var receivers = compiled.Templates
            .Where(t => t.Parent is not null)
            .SelectMany(t => t.Deployment!.Value.GetProperty("properties").GetProperty("parameters").EnumerateObject()
                .Where(p => t.Parent!.Resolve(ValueOf(p.Value)).IsRootParameter(rootParameter))
                .Select(p => (Template: t, Parameter: p.Name)))
            .ToList();

        var (template, parameter) = Assert.Single(receivers);
        Assert.Equal("securestring", template.ParameterDeclaration(parameter)!.Value.GetProperty("type").GetString());
        var reference = $"parameters('{parameter}')";
        var users = template.Resources().Where(r => r.Element.GetRawText().Contains(reference, StringComparison.Ordinal)).ToList();
        var secret = Assert.Single(users);
        Assert.Equal("Microsoft.KeyVault/vaults/secrets", secret.Type);
        Assert.Equal($"[{reference}]", secret.StringProperty("value"));
        Assert.DoesNotContain(reference, template.Template.TryGetProperty("outputs", out var outputs) ? outputs.GetRawText() : "", StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_AnyTemplate_ExposeNoSecureParameter()
    {
        foreach (var template in compiled.Templates)
        {
            if (!template.Template.TryGetProperty("outputs", out var outputs))
            {
                continue;
            }

            var secureParameters = template.Template.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateObject().Where(p => p.Value.GetProperty("type").GetString() is "securestring" or "secureObject").Select(p => p.Name)
                : [];
            foreach (var name in secureParameters)
            {
                Assert.DoesNotContain($"parameters('{name}')", outputs.GetRawText(), StringComparison.Ordinal);
            }
        }
    }

    private static string ValueOf(JsonElement binding) =>
        binding.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
