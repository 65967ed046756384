using System.Text;

namespace StatusChecks.Functions.Api.Contract;

/// <summary>The README's "Routes" table, written from <see cref="RouteCatalogue"/> (a test keeps the README equal to it).</summary>
public static class RouteTable
{
    /// <summary>The lines around the generated table in README.md.</summary>
    public const string Begin = "<!-- routes: generated from src/StatusChecks.Functions/Api/Contract/RouteCatalogue.cs -->";
    public const string End = "<!-- /routes -->";

    /// <summary>Who may call the route, as the table and the document's <c>x-access</c> say it.</summary>
    public static string Role(ApiRoute route)
    {
        var role = route.Access switch
        {
            Access.Anonymous => "none",
            Access.AnyToken => "any token",
            Access.Admin => "admin",
            Access.WebhookToken => "`X-Gitlab-Token`",
            var level => level.ToString(),
        };
        return route.AccessNote is null ? role : $"{role} ({route.AccessNote})";
    }

    /// <summary>The Markdown table between <see cref="Begin"/> and <see cref="End"/>, one row per route in catalogue order.</summary>
    public static string Markdown(IEnumerable<ApiRoute> routes)
    {
        var table = new StringBuilder()
            .Append(Begin).Append('\n')
            .Append("| method | path | role | function |\n")
            .Append("|---|---|---|---|\n");
        foreach (var route in routes)
        {
            table.Append("| ").Append(route.Method)
                .Append(" | `").Append(route.Path)
                .Append("` | ").Append(Role(route))
                .Append(" | `").Append(route.Function).Append("` |\n");
        }

        return table.Append(End).Append('\n').ToString();
    }
}
