using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StatusChecks.Infra.Tests.Support;

/// <summary>The parts of azd's azure.yaml these tests check.</summary>
internal sealed class AzureYaml
{
    public string Name { get; set; } = "";

    public Dictionary<string, AzdService> Services { get; init; } = [];

    /// <summary>Hook name (preprovision, ...) to platform (posix, windows) to its script.</summary>
    public Dictionary<string, Dictionary<string, AzdHook>> Hooks { get; init; } = [];

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

internal sealed class AzdHook
{
    public string Shell { get; set; } = "";

    public string Run { get; set; } = "";
}
