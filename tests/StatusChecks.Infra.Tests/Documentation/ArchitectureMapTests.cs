using System.Text.RegularExpressions;

namespace StatusChecks.Infra.Tests.Documentation;

/// <summary>
/// The three hops from a URL to its rows: the README's route table names each route's function (a test in
/// StatusChecks.Functions.Tests keeps that table equal to the route catalogue), and ARCHITECTURE.md's
/// "From URL to rows" gives that function's file, service method and rows. A route added to the table must be mapped.
/// </summary>
public sealed partial class ArchitectureMapTests
{
    [Fact]
    public void EveryFunctionOfTheRouteTable_IsInTheArchitectureMap()
    {
        var routes = MarkdownFile.Read("README.md").Section("## Routes");
        var functions = RouteRow().Matches(routes).Select(match => match.Groups[1].Value).ToList();
        var map = MarkdownFile.Read("docs", "ARCHITECTURE.md").Section("## From URL to rows");

        Assert.True(functions.Count > 30, $"The README's route table lists {functions.Count} functions");
        var unmapped = functions.Where(function => !map.Contains($"`{function}`", StringComparison.Ordinal)).ToList();
        Assert.True(unmapped.Count == 0, $"docs/ARCHITECTURE.md \"From URL to rows\" does not map {string.Join(", ", unmapped)}");
    }

    // | GET | `/api/v4/projects/:id` | Guest | `GetProject` |
    [GeneratedRegex(@"^\| [A-Z]+ \| `/api/[^`]*` \| .* \| `([A-Za-z]+)` \|$", RegexOptions.Multiline)]
    private static partial Regex RouteRow();
}
