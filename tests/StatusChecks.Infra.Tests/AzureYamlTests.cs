using System.Text.Json;
using System.Xml.Linq;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

public sealed class AzureYamlTests
{
    private static readonly AzdService Service = Assert.Single(AzureYaml.Load().Services).Value;

    private static string ProjectDirectory => Path.GetFullPath(Path.Combine(Repository.Root, Service.Project));

    [Fact]
    public void Service_Kind_IsDotnetFunction()
    {
        Assert.Equal("dotnet", Service.Language);
        Assert.Equal("function", Service.Host);
    }

    [Fact]
    public void Service_Project_IsAzureFunctionsWorkerProject()
    {
        Assert.True(Directory.Exists(ProjectDirectory), $"{Service.Project} does not exist");
        var project = XDocument.Load(Assert.Single(Directory.GetFiles(ProjectDirectory, "*.csproj")));

        Assert.Contains(project.Descendants("AzureFunctionsVersion"), e => !string.IsNullOrWhiteSpace(e.Value));
        Assert.Contains(project.Descendants("PackageReference"), e => (string?)e.Attribute("Include") == "Microsoft.Azure.Functions.Worker.Sdk");
    }

    // This test project references the function app (without its assembly), so building the tests built it.
    [Fact]
    public void Service_Project_BuildsWorkerOutput()
    {
        // bin/<configuration>/<target framework>/, not a publish folder below it.
        var output = Path.Combine(ProjectDirectory, "bin", Repository.BuildConfiguration);
        var workerConfig = Assert.Single(Directory.GetDirectories(output)
            .Select(framework => Path.Combine(framework, "worker.config.json")), File.Exists);

        using var config = JsonDocument.Parse(File.ReadAllText(workerConfig));
        var description = config.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        var workerPath = description.GetProperty("defaultWorkerPath").GetString()!;
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(workerConfig)!, workerPath)), workerPath);
    }

    [Theory]
    [InlineData("posix", "sh", "openssl rand -base64 32")]
    [InlineData("windows", "pwsh", "RandomNumberGenerator]::GetBytes(32)")]
    public void PreprovisionHook_SecretsKeyUnset_GeneratesOne32ByteKeyForTheParameter(string platform, string shell, string generator)
    {
        var hook = AzureYaml.Load().Hooks["preprovision"][platform];

        Assert.Equal(shell, hook.Shell);
        Assert.Contains("azd env get-value STATUSCHECKS_SECRETS_KEY", hook.Run, StringComparison.Ordinal);
        Assert.Contains("azd env set STATUSCHECKS_SECRETS_KEY", hook.Run, StringComparison.Ordinal);
        Assert.Contains(generator, hook.Run, StringComparison.Ordinal);
    }
}
