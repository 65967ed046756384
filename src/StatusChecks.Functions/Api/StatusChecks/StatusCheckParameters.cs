using StatusChecks.Core.Domain;
using static StatusChecks.Core.Domain.ParameterNames;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>The parameters a check is created and updated with (names from <see cref="ParameterNames"/>).</summary>
internal static class StatusCheckParameters
{
    public static IReadOnlyCollection<string> All { get; } = [Name, ExternalUrl, SharedSecret, ProtectedBranchIds];

    /// <summary>gitbeaker sends <see cref="ProtectedBrancheIds"/> on create and edit.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string> { [ProtectedBrancheIds] = ProtectedBranchIds };
}
