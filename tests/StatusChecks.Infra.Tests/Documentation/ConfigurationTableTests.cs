using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using StatusChecks.Core.Domain;
using StatusChecks.Infra.Tests.Support;
using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.Infra.Tests.Documentation;

/// <summary>
/// The README's "Configuration" section lists every setting: each bindable property of an options class (found by
/// reflection), each host.json value, each app setting and azd variable of infra/. A new setting fails here until
/// it is documented.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private static readonly Lazy<string> Configuration = new(() => MarkdownFile.Read("README.md").Section("## Configuration"));

    /// <summary>Every class with a <c>SectionName</c> constant in the assemblies that bind configuration.</summary>
    public static TheoryData<Type> OptionsClasses() => new(FindOptionsClasses());

    [Fact]
    public void OptionsClasses_AreFound()
    {
        var names = FindOptionsClasses().Select(type => type.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "StatusChecksOptions", "NotificationOptions", "StorageOptions", "LocalHostOptions" }, names);
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void EveryOptionsProperty_IsInTheConfigurationTable(Type options)
    {
        var section = ((string)options.GetField("SectionName")!.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal);
        var missing = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true })
            .Select(property => $"{section}__{property.Name}")
            .Where(setting => !Configuration.Value.Contains("`" + setting, StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"README.md \"Configuration\" lacks {options.Name}'s settings: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryHostJsonValue_IsInTheConfigurationTable()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json")));
        var missing = Leaves(hostJson.RootElement, "")
            .Where(path => !Configuration.Value.Contains($"`{path}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"README.md \"Configuration\" lacks host.json's {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryInfraAppSettingAndAzdVariable_IsInTheConfigurationTable()
    {
        var bicep = File.ReadAllText(Repository.PathOf("infra", "app", "function-app.bicep"));
        var appSettings = bicep[bicep.IndexOf("appSettings:", StringComparison.Ordinal)..];
        var settings = SettingName().Matches(appSettings).Select(match => match.Groups[1].Value).ToList();
        var parameters = File.ReadAllText(Repository.PathOf("infra", "main.parameters.json"));
        var variables = AzdVariable().Matches(parameters).Select(match => match.Groups[1].Value)
            .Where(variable => !variable.StartsWith("AZURE_", StringComparison.Ordinal)) // azd's own
            .ToList();

        Assert.Contains("StatusChecks__AdminToken", settings);
        Assert.Contains("STATUSCHECKS_SECRETS_KEY", variables);
        var missing = settings.Concat(variables).Where(name => !Configuration.Value.Contains($"`{name}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md \"Configuration\" lacks infra/'s {string.Join(", ", missing)}");
    }

    private static IReadOnlyList<Type> FindOptionsClasses() =>
        [.. new[] { typeof(StatusChecksOptions).Assembly, typeof(LocalHostOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .OrderBy(type => type.FullName, StringComparer.Ordinal)];

    private static IEnumerable<string> Leaves(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().SelectMany(property => Leaves(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}"))
            : [path];

    [GeneratedRegex(@"name:\s*'([A-Za-z0-9_]+)'")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex AzdVariable();
}
