using System.Text.Json;

namespace StatusChecks.Infra.Tests.Support;

internal static class AppSettings
{
    /// <summary>
    /// App settings of a Microsoft.Web/sites resource, from siteConfig.appSettings and from any
    /// sites/config 'appsettings' resource in the same template (name to value expression).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Of(ArmResource site)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (site.Properties.TryGetProperty("siteConfig", out var siteConfig) && siteConfig.TryGetProperty("appSettings", out var list))
        {
            foreach (var setting in list.EnumerateArray())
            {
                settings.Add(setting.GetProperty("name").GetString()!, ValueText(setting.GetProperty("value")));
            }
        }

        foreach (var config in site.Owner.Resources().Where(r => r.Type == "Microsoft.Web/sites/config"
                     && r.Element.GetProperty("name").GetString()!.Contains("appsettings", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var setting in config.Properties.EnumerateObject())
            {
                settings.Add(setting.Name, ValueText(setting.Value));
            }
        }

        return settings;
    }

    private static string ValueText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
