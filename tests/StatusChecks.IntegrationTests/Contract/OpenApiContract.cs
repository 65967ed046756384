using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.OpenApi;

namespace StatusChecks.IntegrationTests.Contract;

/// <summary>
/// The service's own OpenAPI document (GET /api/v4/openapi.json), read with Microsoft.OpenApi's reader, and a check
/// that a real answer is one the document declares: the route exists, the status is declared, and the body matches
/// the declared schema. Schemas are evaluated by JsonSchema.Net (OpenAPI 3.1 schemas are JSON Schema 2020-12), with
/// the whole document registered so <c>#/components/schemas/...</c> references resolve as they are written.
/// </summary>
internal sealed class OpenApiContract
{
    // Unique per instance: the schema registry refuses to register a URI twice.
    private readonly Uri documentUri = new($"https://statuschecks.invalid/{Guid.NewGuid():N}/openapi.json");
    private readonly OpenApiDocument document;
    private readonly JsonNode json;
    private readonly BuildOptions schemaOptions;
    private readonly HashSet<string> exercised = new(StringComparer.Ordinal);

    private OpenApiContract(OpenApiDocument document, string text)
    {
        this.document = document;
        json = JsonNode.Parse(text)!;
        schemaOptions = new BuildOptions();
        schemaOptions.SchemaRegistry.Register(documentUri, new JsonElementBaseDocument(JsonDocument.Parse(text).RootElement.Clone(), documentUri));
    }

    /// <summary>Every operation, as <c>GET /v4/projects/{id}</c>.</summary>
    public IEnumerable<string> Operations =>
        document.Paths!.SelectMany(path => path.Value.Operations!.Keys.Select(method => $"{method.Method} {path.Key}"));

    /// <summary>Operations no checked answer has succeeded on yet.</summary>
    public IEnumerable<string> NotSucceeded => Operations.Where(operation => !exercised.Contains(operation));

    /// <summary>Reads the document the service serves, without a token, with the library's reader.</summary>
    public static async Task<OpenApiContract> LoadAsync(HttpClient anonymous)
    {
        var response = await GitLabApi.CallAsync(anonymous, HttpMethod.Get, "v4/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        var (document, diagnostic) = OpenApiDocument.Parse(response.Text, "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        var contract = new OpenApiContract(document!, response.Text);
        contract.AssertConforms(HttpMethod.Get, "v4/openapi.json", response);
        return contract;
    }

    /// <summary>
    /// Asserts that <paramref name="response"/> to <paramref name="method"/> <paramref name="path"/> (relative to
    /// <c>/api/</c>, as the test clients send it) is declared: its status, its headers, and its body's schema.
    /// </summary>
    public void AssertConforms(HttpMethod method, string path, ApiResponse response)
    {
        var template = Template(path);
        var operation = document.Paths![template].Operations!.GetValueOrDefault(method)
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} is not in the OpenAPI document.");
        var status = ((int)response.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var what = $"{method} {path} answered {status} {Truncate(response.Text)}";
        Assert.True(
            operation.Responses!.TryGetValue(status, out var declared),
            $"{what}, a status the document does not declare for {method} {template} (declared: {string.Join(", ", operation.Responses!.Keys)}).");

        foreach (var header in declared!.Headers?.Keys ?? [])
        {
            Assert.True(response.Headers.Contains(header), $"{what} without its declared header {header}.");
        }

        if (declared.Content is not { Count: > 0 })
        {
            Assert.True(response.Text.Length == 0, $"{what}: the document declares no body.");
        }
        else
        {
            Assert.Equal("application/json", response.MediaType);
            var schema = json["paths"]![template]![method.Method.ToLowerInvariant()]!["responses"]![status]!["content"]!["application/json"]!["schema"]!;
            var errors = Evaluate(schema, response.Text);
            Assert.True(errors.Count == 0, $"{what}, which does not match the declared schema {schema.ToJsonString()}:\n  {string.Join("\n  ", errors)}");
        }

        if (response.Status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
        {
            exercised.Add($"{method.Method} {template}");
        }
    }

    /// <summary>The schema's errors for <paramref name="body"/>, each with where in the body it is.</summary>
    private List<string> Evaluate(JsonNode schema, string body)
    {
        // The schema's own references point into the document, registered under documentUri.
        var text = schema.ToJsonString().Replace("\"#/components/", $"\"{documentUri}#/components/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text, schemaOptions).Evaluate(
            JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value} ({detail.EvaluationPath})"))];
    }

    /// <summary>The document's path template for a concrete path: every literal segment equal, one value per <c>{name}</c>.</summary>
    private string Template(string path)
    {
        var segments = ("/" + path.Split('?')[0]).Split('/');
        return document.Paths!.Keys
            .Select(template => (Template: template, Segments: template.Split('/')))
            .Where(candidate => candidate.Segments.Length == segments.Length
                && candidate.Segments.Zip(segments).All(pair => pair.First.StartsWith('{') || pair.First == pair.Second))
            .OrderByDescending(candidate => candidate.Segments.Count(segment => !segment.StartsWith('{')))
            .Select(candidate => candidate.Template)
            .FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"No path of the OpenAPI document matches {path}.");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
