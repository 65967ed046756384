using System.Text.Json;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>The <c>Values</c> of local.settings.json: the app settings a developer keeps out of source control.</summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string> Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "local.settings.json");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : new Dictionary<string, string>();
    }

    public static IReadOnlyDictionary<string, string> Parse(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Values", out var section)
                && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    // Settings are strings to the host; `true` or `5` written without quotes are kept as their text.
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new LocalHostException($"local.settings.json is not valid: {ex.Message}", ex);
        }

        return values;
    }
}
