using System.Text.RegularExpressions;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

public sealed class BicepLintTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    [Fact]
    public void Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.Output);
        // Build prints linter findings too (to stderr, exit code 0 for warnings): any output is a finding.
        Assert.True(string.IsNullOrWhiteSpace(compiled.Build.Output), compiled.Build.Output);
        Assert.NotEmpty(compiled.Json);
    }

    [Fact]
    public async Task Lint_MainTemplate_ReportsNoDiagnostics()
    {
        var result = await BicepCli.LintAsync(CompiledTemplateFixture.MainBicep);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(BicepCli.SarifDiagnostics(result.StandardOutput));
    }

    // Proves the check above can fail: the linter runs, reports at warning level, and the SARIF is read.
    [Fact]
    public async Task Lint_FileWithUnusedParameterAndOldApiVersion_ReportsWarnings()
    {
        var directory = Directory.CreateTempSubdirectory("statuschecks-lint-");
        try
        {
            // The infra folder's bicepconfig.json, so the rules it turns on are the ones exercised.
            File.Copy(Repository.PathOf("infra", "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var bad = Path.Combine(directory.FullName, "bad.bicep");
            await File.WriteAllTextAsync(bad, """
                param location string = resourceGroup().location
                resource plan 'Microsoft.Web/serverfarms@2022-03-01' = {
                  name: 'plan-lint-test'
                  location: 'westeurope'
                }
                """);

            var result = await BicepCli.LintAsync(bad);
            var diagnostics = BicepCli.SarifDiagnostics(result.StandardOutput);

            Assert.Contains(diagnostics, d => d.Contains("use-recent-api-versions", StringComparison.Ordinal) && d.StartsWith("warning", StringComparison.Ordinal));
            Assert.Contains(diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Infra_BicepFiles_UseNoRegistryModules()
    {
        // br/public:..., br:registry/..., ts:... would need a registry at build time.
        var registryModules = Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
            .Where(file => Regex.IsMatch(File.ReadAllText(file), @"^\s*module\s+\w+\s+'(br|ts)[/:]", RegexOptions.Multiline))
            .ToList();

        Assert.Empty(registryModules);
    }
}
