using System.Text.Json;

namespace StatusChecks.Infra.Tests.Support;

/// <summary>Compiles infra/main.bicep once per test class and exposes the ARM JSON it produced.</summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("statuschecks-infra-").FullName;
    private JsonDocument? _document;

    public static string MainBicep => Repository.PathOf("infra", "main.bicep");

    internal BicepResult Build { get; private set; } = new(-1, "", "");

    /// <summary>The compiled JSON as text, for searches that must cover every string in it.</summary>
    public string Json { get; private set; } = "";

    internal ArmTemplate Root => new(
        (_document ?? throw new InvalidOperationException(Build.Output)).RootElement, Deployment: null, Parent: null);

    internal IEnumerable<ArmTemplate> Templates => Root.SelfAndDescendants();

    internal IEnumerable<ArmResource> AllResources => Templates.SelectMany(t => t.Resources());

    internal IReadOnlyList<ArmResource> ResourcesOfType(string type) =>
        AllResources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public async Task InitializeAsync()
    {
        var outFile = Path.Combine(_directory, "main.json");
        Build = await BicepCli.BuildAsync(MainBicep, outFile);
        if (Build.ExitCode == 0 && File.Exists(outFile))
        {
            Json = await File.ReadAllTextAsync(outFile);
            _document = JsonDocument.Parse(Json);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _document?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
