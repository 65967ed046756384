namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>The parameter names a check is created and updated with.</summary>
internal static class StatusCheckParameters
{
    public const string Name = "name";
    public const string ExternalUrl = "external_url";
    public const string SharedSecret = "shared_secret";
    public const string ProtectedBranchIds = "protected_branch_ids";

    /// <summary>gitbeaker's misspelling of <see cref="ProtectedBranchIds"/>, which it sends on create and edit.</summary>
    public const string ProtectedBrancheIds = "protected_branche_ids";

    public static IReadOnlyCollection<string> All { get; } = [Name, ExternalUrl, SharedSecret, ProtectedBranchIds];

    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string> { [ProtectedBrancheIds] = ProtectedBranchIds };
}
