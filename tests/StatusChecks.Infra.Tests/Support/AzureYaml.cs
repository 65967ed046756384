using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StatusChecks.Infra.Tests.Support;

/// <summary>The parts of azd's azure.yaml these tests check.</summary>
internal sealed class AzureYaml
{
    public string Name { get; set; } = "";

    public Dictionary<string, AzdService> Services { get; init; } = [];

    public static AzureYaml Load() =>
        new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<AzureYaml>(File.ReadAllText(Repository.PathOf("azure.yaml")));
}

internal sealed class AzdService
{
    public string Project { get; set; } = "";

    public string Language { get; set; } = "";

    public string Host { get; set; } = "";
}
