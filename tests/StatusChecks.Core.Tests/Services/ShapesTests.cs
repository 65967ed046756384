using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage;

namespace StatusChecks.Core.Tests.Services;

public sealed class ShapesTests
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly DateTimeOffset At = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StatusCheckResponse_SnakeCase_GitLabFieldNames()
    {
        var branch = new ProtectedBranch(1, 7, "main", At, At, false);
        var check = new ExternalStatusCheck(3, "ci", 7, "https://ci.example/", true, [branch]);
        var mr = new MergeRequest(500, 1, 7, "T", null, "opened", "f", "main", new string('a', 40), At, At, null, null, "mergeable", "http://x/-/merge_requests/1");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(new StatusCheckResponse(9, mr, check, "passed", mr.Sha, At), SnakeCase));
        var root = json.RootElement;

        Assert.Equal(["id", "merge_request", "external_status_check", "status", "sha", "created_at"], Names(root));
        Assert.Equal(["id", "name", "project_id", "external_url", "hmac", "protected_branches"], Names(root.GetProperty("external_status_check")));
        Assert.Equal(
            ["id", "project_id", "name", "created_at", "updated_at", "code_owner_approval_required"],
            Names(root.GetProperty("external_status_check").GetProperty("protected_branches")[0]));
        Assert.Superset(
            new HashSet<string> { "id", "iid", "project_id", "title", "state", "source_branch", "target_branch", "sha", "created_at", "updated_at", "detailed_merge_status" },
            Names(root.GetProperty("merge_request")).ToHashSet());
    }

    [Fact]
    public void Project_SnakeCase_IncludesFlag()
    {
        var names = Names(JsonSerializer.SerializeToElement(new Project(1, "Demo", "demo", "root/demo", At, "http://x/root/demo", false), SnakeCase));

        Assert.Equal(["id", "name", "path", "path_with_namespace", "created_at", "web_url", "only_allow_merge_if_all_status_checks_passed"], names);
    }

    [Theory]
    [InlineData("StatusChecks:SecretsKey", "too-short")]
    [InlineData("StatusChecks:PendingTimeout", "-00:00:01")]
    [InlineData("StatusChecks:Storage:NamePrefix", "bad-prefix")]
    public void AddStatusChecksDomain_InvalidConfiguration_RejectedByValidation(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["StatusChecks:Storage:ConnectionString"] = "UseDevelopmentStorage=true", [key] = value })
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddStatusChecksStorage(configuration).AddStatusChecksDomain(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<StatusChecksOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        });
    }

    [Fact]
    public void AddStatusChecksDomain_ValidConfiguration_ResolvesEveryService()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["StatusChecks:Storage:ConnectionString"] = "UseDevelopmentStorage=true" })
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddStatusChecksStorage(configuration).AddStatusChecksDomain(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.NotNull(provider.GetRequiredService<IAuthenticator>());
        Assert.NotNull(provider.GetRequiredService<IStatusCheckService>());
        Assert.NotNull(provider.GetRequiredService<IMergeRequestEvents>());
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
