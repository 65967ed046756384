using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using StatusChecks.Functions.Api.Contract;

namespace StatusChecks.Functions.Tests.Api.Contract;

/// <summary>
/// <see cref="RouteCatalogue"/> against the functions that really serve HTTP (found by reflection over the Functions
/// assembly), and the README's route table against the catalogue.
/// </summary>
public sealed class OpenApiRouteCatalogueTests
{
    private const string CataloguePath = "src/StatusChecks.Functions/Api/Contract/RouteCatalogue.cs";

    private static readonly IReadOnlyList<(string Method, string Route, string Function)> HttpFunctions = FindHttpFunctions();

    [Fact]
    public void EveryHttpFunctionRoute_IsInTheCatalogue()
    {
        var catalogued = RouteCatalogue.Routes.Select(route => (route.Method, route.Template, route.Function)).ToHashSet();
        var missing = HttpFunctions
            .Where(function => function.Function != RouteCatalogue.CatchAllFunction && !catalogued.Contains(function))
            .Select(function =>
                $"  {function.Method} {function.Route} ({function.Function}): add to {CataloguePath}, in its section:\n"
                + $"    new(\"{function.Method}\", \"{function.Route}\", \"{function.Function}\", Access.<role>, \"<summary>\")\n"
                + "    {\n        Parameters = [...], Success = ApiResult.Ok<TheModel>(), Answers = [...],\n    },")
            .ToList();

        Assert.True(
            missing.Count == 0,
            $"Functions serve routes the OpenAPI document does not name:\n{string.Join('\n', missing)}\n"
            + $"then regenerate docs/openapi.json and the README table: {ContractFiles.RegenerateCommand}");
    }

    [Fact]
    public void EveryCatalogueRoute_IsServedByItsFunction()
    {
        var served = HttpFunctions.ToHashSet();
        var unserved = RouteCatalogue.Routes
            .Where(route => !served.Contains((route.Method, route.Template, route.Function)))
            .Select(route => $"  {route.Method} {route.Template} ({route.Function})")
            .ToList();

        Assert.True(
            unserved.Count == 0,
            $"{CataloguePath} names routes no [Function] HttpTrigger serves with that method, route and name:\n{string.Join('\n', unserved)}");
    }

    [Fact]
    public void Catalogue_HasOneEntryPerMethodAndRoute_AndTheCatchAllFunctionExists()
    {
        Assert.Equal(RouteCatalogue.Routes.Count, RouteCatalogue.Routes.Select(route => (route.Method, route.Template)).Distinct().Count());
        Assert.Contains(HttpFunctions, function => function.Function == RouteCatalogue.CatchAllFunction && function.Route.Contains("{*", StringComparison.Ordinal));
        Assert.All(RouteCatalogue.Routes, route => Assert.False(string.IsNullOrEmpty(route.Tag), route.Display));
    }

    [Fact]
    public void ReadmeRouteTable_IsWhatTheCatalogueBuilds()
    {
        var table = RouteTable.Markdown(RouteCatalogue.Routes);
        var readme = File.ReadAllText(ContractFiles.Readme).ReplaceLineEndings("\n");
        var begin = readme.IndexOf(RouteTable.Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(RouteTable.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md must hold the route table between\n{RouteTable.Begin}\nand\n{RouteTable.End}");

        var current = readme[begin..(end + RouteTable.End.Length + 1)];
        if (ContractFiles.Regenerate && current != table)
        {
            File.WriteAllText(ContractFiles.Readme, readme.Replace(current, table, StringComparison.Ordinal));
            current = table;
        }

        Assert.True(current == table, $"README.md's route table differs from RouteCatalogue. Regenerate it with:\n  {ContractFiles.RegenerateCommand}");
    }

    [Fact]
    public void RouteTable_OneRowPerRoute_WithGitLabPathRoleAndFunction()
    {
        var rows = RouteTable.Markdown(RouteCatalogue.Routes).Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();

        Assert.Equal(RouteCatalogue.Routes.Count, rows.Count);
        Assert.Contains("| POST | `/api/v4/projects/:id/external_status_checks` | Maintainer (below: 401) | `CreateExternalStatusCheck` |", rows);
        Assert.Contains("| GET | `/api/health` | none | `Health` |", rows);
    }

    private static List<(string Method, string Route, string Function)> FindHttpFunctions() =>
        [.. typeof(RouteCatalogue).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(method => (Function: method.GetCustomAttribute<FunctionAttribute>(), Trigger: method.GetParameters()
                .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>())
                .FirstOrDefault(trigger => trigger is not null)))
            .Where(found => found.Function is not null && found.Trigger is not null)
            .SelectMany(found => (found.Trigger!.Methods ?? []).Select(method => (method.ToUpperInvariant(), found.Trigger.Route ?? found.Function!.Name, found.Function!.Name)))];
}
