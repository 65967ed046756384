using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests;

/// <summary>Who may do what: data roles only, each on the resource it is for, held by the app or the deployer.</summary>
public sealed class RoleAssignmentTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";

    // Built-in role id -> the resource type it may be scoped to.
    private static readonly Dictionary<string, string> ExpectedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = StorageAccounts, // Storage Blob Data Owner
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = StorageAccounts, // Storage Queue Data Contributor
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = StorageAccounts, // Storage Table Data Contributor
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Microsoft.Insights/components", // Monitoring Metrics Publisher
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Microsoft.KeyVault/vaults", // Key Vault Secrets User
    };

    private IReadOnlyList<ArmResource> Assignments => compiled.ResourcesOfType("Microsoft.Authorization/roleAssignments");

    [Fact]
    public void RoleAssignments_All_LiveInOneRbacModule()
    {
        Assert.NotEmpty(Assignments);
        Assert.Single(Assignments.Select(a => a.Owner.Name).Distinct());
    }

    [Fact]
    public void RoleAssignments_Each_UsesExpectedRoleOnMatchingScope()
    {
        foreach (var assignment in Assignments)
        {
            var scope = assignment.Element.TryGetProperty("scope", out var s) ? s.GetString() : null;
            var roles = assignment.Owner.GuidsIn(assignment.StringProperty("roleDefinitionId")!);

            Assert.False(string.IsNullOrEmpty(scope), "a role assignment without a scope applies to the whole resource group");
            Assert.NotEmpty(roles);
            foreach (var role in roles)
            {
                Assert.True(ExpectedRoles.TryGetValue(role, out var scopeType), $"unexpected role {role}");
                Assert.Contains($"resourceId('{scopeType}'", scope, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void RoleAssignments_Each_NamedByGuid()
    {
        Assert.All(Assignments, a => Assert.StartsWith("[guid(", a.Element.GetProperty("name").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void RoleAssignments_Principals_AreAppIdentityOrOptionalDeployer()
    {
        foreach (var assignment in Assignments)
        {
            var principal = assignment.Owner.Resolve(assignment.StringProperty("principalId")!);

            if (principal.IsRootParameter("principalId"))
            {
                // The deployer is optional: these assignments must be skipped when azd passes no principal.
                var condition = assignment.Element.TryGetProperty("condition", out var c) ? c.GetString() : null;
                Assert.Contains("not(empty(parameters(", condition, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(principal.IsModuleOutput("identity", "principalId"), principal.Expression);
            }
        }
    }

    [Fact]
    public void RoleAssignments_AppIdentity_HoldsEveryExpectedRole()
    {
        var held = Assignments
            .Where(a => a.Owner.Resolve(a.StringProperty("principalId")!).IsModuleOutput("identity", "principalId"))
            .SelectMany(a => a.Owner.GuidsIn(a.StringProperty("roleDefinitionId")!))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Equal(ExpectedRoles.Keys.Order(), held.Order());
    }

    [Fact]
    public void IdentityModule_PrincipalIdOutput_IsTheUserAssignedIdentity()
    {
        var identity = Assert.Single(compiled.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var outputs = identity.Owner.Template.GetProperty("outputs");

        Assert.Equal("identity", identity.Owner.Name);
        foreach (var output in new[] { "id", "principalId", "clientId" })
        {
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", outputs.GetProperty(output).GetProperty("value").GetString(), StringComparison.Ordinal);
        }
    }
}
