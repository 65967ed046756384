using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using StatusChecks.Functions.Api.Contract;

namespace StatusChecks.Functions.Tests.Api.Contract;

/// <summary>The OpenAPI document built from <see cref="RouteCatalogue"/>: valid, committed, and true to the wire format.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string Json = OpenApiDocumentBuilder.Json;

    [Fact]
    public void Document_ReadBackWithTheLibrarysReader_IsValidOpenApi31WithEveryRoute()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(Json, "json");

        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.NotNull(document);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        var operations = document.Paths!.SelectMany(path => path.Value.Operations!.Select(operation => $"{operation.Key.Method} {path.Key}"));
        Assert.Equal(
            RouteCatalogue.Routes.Select(route => $"{route.Method} /{route.Template}").Order(StringComparer.Ordinal),
            operations.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CommittedDocument_IsWhatTheCatalogueBuilds()
    {
        if (ContractFiles.Regenerate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ContractFiles.OpenApiJson)!);
            File.WriteAllText(ContractFiles.OpenApiJson, Json);
        }

        var committed = File.Exists(ContractFiles.OpenApiJson) ? File.ReadAllText(ContractFiles.OpenApiJson).ReplaceLineEndings("\n") : "";
        Assert.True(
            committed == Json,
            $"docs/openapi.json differs from what RouteCatalogue builds. Regenerate it with:\n  {ContractFiles.RegenerateCommand}\nand commit it.");
    }

    [Fact]
    public void EveryRoute_DeclaresItsSuccessAndOnlyGitLabErrorShapes()
    {
        var document = JsonNode.Parse(Json)!;
        string[] errorShapes = ["#/components/schemas/Message", "#/components/schemas/MessageList", "#/components/schemas/FieldMessages", "#/components/schemas/Error"];
        foreach (var route in RouteCatalogue.Routes)
        {
            var responses = document["paths"]![$"/{route.Template}"]![route.Method.ToLowerInvariant()]!["responses"]!.AsObject();
            Assert.True(responses.ContainsKey(((int)route.Success.Status).ToString()), route.Display);
            Assert.True(responses.ContainsKey("500"), route.Display);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5' && route.Function != "Health"))
            {
                var schema = response!["content"]!["application/json"]!["schema"]!;
                var refs = schema["oneOf"] is JsonArray oneOf ? oneOf.Select(s => (string)s!["$ref"]!) : [(string)schema["$ref"]!];
                Assert.All(refs, reference => Assert.Contains(reference, errorShapes));
                Assert.NotEmpty(response["content"]!["application/json"]!["examples"]!.AsObject());
            }
        }
    }

    [Fact]
    public void Schemas_FollowTheSerializer_SnakeCaseAlwaysWrittenRequiredNullsAllowed()
    {
        var schemas = JsonNode.Parse(Json)!["components"]!["schemas"]!;

        var mergeRequest = schemas["MergeRequest"]!;
        Assert.Contains("detailed_merge_status", mergeRequest["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("""["null","string"]""", mergeRequest["properties"]!["description"]!["type"]!.ToJsonString());
        Assert.Equal("string", (string)mergeRequest["properties"]!["title"]!["type"]!);
        Assert.Equal("date-time", (string)mergeRequest["properties"]!["created_at"]!["format"]!);
        Assert.Equal("""["null","string"]""", mergeRequest["properties"]!["merged_at"]!["type"]!.ToJsonString());

        var account = schemas["UserAccount"]!;
        Assert.DoesNotContain("is_admin", account["required"]!.AsArray().Select(n => (string)n!)); // written for the admin only
        Assert.Contains("can_create_project", account["required"]!.AsArray().Select(n => (string)n!));

        var response = schemas["StatusCheckResponse"]!["properties"]!;
        Assert.Equal("#/components/schemas/MergeRequest", (string)response["merge_request"]!["$ref"]!);
        Assert.Equal("#/components/schemas/ProtectedBranch", (string)schemas["ExternalStatusCheck"]!["properties"]!["protected_branches"]!["items"]!["$ref"]!);
        var fieldMessages = schemas["FieldMessages"]!["properties"]!["message"]!;
        Assert.Equal("object", (string)fieldMessages["type"]!);
        Assert.Equal("string", (string)fieldMessages["additionalProperties"]!["items"]!["type"]!);
    }

    [Fact]
    public void ListRoutes_DeclarePaginationHeadersAndParameters_AndTokenSchemesApplyExceptToAnonymousRoutes()
    {
        var document = JsonNode.Parse(Json)!;
        var list = document["paths"]!["/v4/projects/{id}/members"]!["get"]!;
        Assert.Equal(
            ["Link", "X-Next-Page", "X-Page", "X-Per-Page", "X-Prev-Page", "X-Total", "X-Total-Pages"],
            list["responses"]!["200"]!["headers"]!.AsObject().Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["id", "page", "per_page"], list["parameters"]!.AsArray().Select(p => (string)p!["name"]!));

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("PRIVATE-TOKEN", (string)schemes["PrivateToken"]!["name"]!);
        Assert.Equal("bearer", (string)schemes["Bearer"]!["scheme"]!);
        Assert.Equal(3, document["security"]!.AsArray().Count);
        Assert.Empty(document["paths"]!["/v4/openapi.json"]!["get"]!["security"]!.AsArray());
        Assert.Empty(document["paths"]!["/health"]!["get"]!["security"]!.AsArray());
        Assert.Null(list["security"]);
    }

    [Theory]
    [InlineData("GetProject", "401 404 413 415 500 503")] // Guest: no 403 on a read
    [InlineData("ListExternalStatusChecks", "401 404 413 415 500 503")] // below Maintainer is 401, declared by the route
    [InlineData("CreateExternalStatusCheck", "401 403 404 413 415 500 503")] // a write: 403 for a read_api token
    [InlineData("ListMembers", "401 403 404 413 415 500 503")]
    [InlineData("GetUser", "401 413 415 500 503")] // not a project route: no 404 Project Not Found
    [InlineData("CreateUser", "401 403 413 415 500 503")] // admin only
    [InlineData("Health", "500")]
    [InlineData("GetOpenApiDocument", "500")]
    public void CommonAnswers_FollowTheRoutesKind(string function, string statuses)
    {
        var route = RouteCatalogue.Routes.Single(route => route.Function == function);

        var common = OpenApiDocumentBuilder.CommonAnswers(route).Select(answer => (int)answer.Status).Where(status => status != 400).Distinct().Order();

        Assert.Equal(statuses, string.Join(' ', common));
    }

    [Fact]
    public void CommonAnswers_Declare400ForTheParametersARouteReads()
    {
        static string[] Bodies(string function) =>
            [.. OpenApiDocumentBuilder.CommonAnswers(RouteCatalogue.Routes.Single(route => route.Function == function))
                .Where(answer => answer.Status == System.Net.HttpStatusCode.BadRequest)
                .Select(answer => answer.Example.ToJsonString())];

        Assert.Equal(["""{"message":"400 Bad request - malformed JSON"}"""], Bodies("GetProject"));
        Assert.Contains("""{"error":"name is missing"}""", Bodies("CreateExternalStatusCheck"));
        Assert.Contains("""{"error":"per_page is invalid"}""", Bodies("ListMembers"));
        Assert.Contains(
            """{"error":"title, description, target_branch, sha, state_event are missing, at least one parameter must be provided"}""",
            Bodies("UpdateMergeRequest"));
    }
}
