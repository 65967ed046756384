using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Contract;

/// <summary>
/// Builds the OpenAPI 3.1 document of <see cref="RouteCatalogue"/> with Microsoft.OpenApi. Response schemas come from
/// the serializer's own contract for the model types (<see cref="JsonResponses.SerializerOptions"/>), so names,
/// types and nullability are what goes on the wire; every property the serializer always writes is required.
/// </summary>
public static class OpenApiDocumentBuilder
{
    private const string JsonMediaType = JsonResponses.MediaType;
    private const string FormMediaType = "application/x-www-form-urlencoded";
    private const string PrivateTokenHeader = "PrivateToken";
    private const string PrivateTokenQuery = "PrivateTokenQuery";
    private const string Bearer = "Bearer";
    private const string WebhookToken = "GitLabWebhookToken";

    private static readonly Lazy<string> CatalogueJson = new(() => ToJson(Build(RouteCatalogue.Routes)));

    /// <summary>The pagination headers of every list answer (GitLab's offset pagination, see <see cref="Pagination"/>).</summary>
    private static readonly (string Name, string Description)[] PaginationHeaders =
    [
        ("X-Total", "Items in all pages."),
        ("X-Total-Pages", "Pages (at least 1)."),
        ("X-Page", "This page's number."),
        ("X-Per-Page", "Items per page."),
        ("X-Next-Page", "The next page's number; empty on the last page."),
        ("X-Prev-Page", "The previous page's number; empty on the first page."),
        ("Link", "Absolute URLs of the first, last, and where they exist prev and next pages (RFC 8288)."),
    ];

    /// <summary>The catalogue's document as JSON, built once per process (served by GET /api/v4/openapi.json, kept in docs/openapi.json).</summary>
    public static string Json => CatalogueJson.Value;

    /// <summary>The document as OpenAPI 3.1 JSON, indented, ending with a newline.</summary>
    public static string ToJson(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }

    public static OpenApiDocument Build(IReadOnlyList<ApiRoute> routes)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "StatusChecks",
                Version = BuildInfo.Version,
                Description =
                    "A GitLab-compatible External Status Checks service (GitLab REST v4). Parameters may come in the query "
                    + "string, a JSON body or a form body; parameters a route does not declare are ignored. Errors are GitLab's: "
                    + "`{\"message\": ...}` (a string, a list of full messages, or field to messages) or `{\"error\": \"...\"}` "
                    + "for parameters; a path no route serves answers 404 `{\"error\":\"404 Not Found\"}`.",
            },
            Servers = [new OpenApiServer { Url = "/api", Description = "The function app (route prefix `api`, host.json)." }],
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [PrivateTokenHeader] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "PRIVATE-TOKEN", Description = "A personal access token or the admin token.",
                    },
                    [Bearer] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same token as `Authorization: Bearer <token>`.",
                    },
                    [PrivateTokenQuery] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Query, Name = ParameterNames.PrivateToken, Description = "The same token as a parameter (it ends up in logs: prefer the header).",
                    },
                },
            },
            Tags = new HashSet<OpenApiTag>(),
        };

        var schemas = new SchemaSet(document);
        foreach (var (name, description) in PaginationHeaders)
        {
            document.Components.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        document.Security = [Requirement(document, PrivateTokenHeader), Requirement(document, Bearer), Requirement(document, PrivateTokenQuery)];
        if (routes.Any(route => route.Access == Access.WebhookToken))
        {
            document.Components.SecuritySchemes[WebhookToken] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Gitlab-Token", Description = "The secret of the GitLab webhook.",
            };
        }

        foreach (var route in routes)
        {
            var key = "/" + route.Template;
            if (!document.Paths.TryGetValue(key, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[key] = item;
            }

            ((OpenApiPathItem)item).AddOperation(new HttpMethod(route.Method), Operation(document, schemas, route));
            if (!document.Tags.Any(tag => tag.Name == route.Tag))
            {
                document.Tags.Add(new OpenApiTag { Name = route.Tag });
            }
        }

        return document;
    }

    /// <summary>The answers every route of its kind gives, which the catalogue does not repeat.</summary>
    public static IEnumerable<ApiAnswer> CommonAnswers(ApiRoute route)
    {
        var readsRequest = route.Access is not (Access.Anonymous or Access.WebhookToken);
        if (readsRequest)
        {
            yield return ApiAnswer.Of(ApiError.MalformedJson, "the body is not a JSON object");
            if (route.Parameters.FirstOrDefault(parameter => parameter.Required) is { } required)
            {
                yield return ApiAnswer.Of(ApiError.MissingParameter(required.Name), "a required parameter is missing, or one is of the wrong type or value");
            }
            else if (route.Parameters.Count > 0 || route.Success.Paged)
            {
                var name = route.Parameters.Count > 0 ? route.Parameters[0].Name : ParameterNames.PerPage;
                yield return ApiAnswer.Of(ApiError.InvalidParameter(name), "a parameter is of the wrong type or value");
            }

            if (route.AtLeastOneParameter)
            {
                yield return ApiAnswer.Of(ApiError.AtLeastOneOf(route.Parameters.Select(parameter => parameter.Name)), "none of the parameters is given");
            }

            yield return ApiAnswer.Of(ApiError.Unauthorized, "no token, or an unknown, expired or revoked one");
            var belowRoleIs401 = route.Answers.Any(answer => answer.Status == HttpStatusCode.Unauthorized);
            var hasRole = route.Access is Access.Admin or Access.Reporter or Access.Developer or Access.Maintainer;
            if (route.Method != "GET" || (hasRole && !belowRoleIs401))
            {
                yield return ApiAnswer.Of(ApiError.Forbidden, route.Method == "GET" ? "the caller's role is too low" : "the caller's role is too low, or the token is read_api");
            }

            if (route.Template.StartsWith("v4/projects/{id}", StringComparison.Ordinal))
            {
                yield return ApiAnswer.Of(ApiError.NotFound(ResourceNames.Project), "no project has this id or path, or the caller may not see it");
            }

            yield return ApiAnswer.Of(ApiError.RequestTooLarge, "the body is larger than 1 MiB");
            yield return ApiAnswer.Of(ApiError.UnsupportedMediaType, "the body is neither JSON nor a form");
            yield return ApiAnswer.Of(ApiError.ServiceUnavailable, "storage does not answer");
        }
        else if (route.Access == Access.WebhookToken)
        {
            // The webhook reads its body itself (any media type): only its size and storage can fail it.
            yield return ApiAnswer.Of(ApiError.RequestTooLarge, "the body is larger than 1 MiB");
            yield return ApiAnswer.Of(ApiError.ServiceUnavailable, "storage does not answer");
        }

        yield return ApiAnswer.Of(ApiError.InternalServerError, "an unexpected failure");
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static OpenApiOperation Operation(OpenApiDocument document, SchemaSet schemas, ApiRoute route)
    {
        var operation = new OpenApiOperation
        {
            OperationId = route.Function,
            Summary = route.Summary,
            Description = Describe(route),
            Tags = new HashSet<OpenApiTagReference> { new(route.Tag, document) },
            Parameters = [.. PathParameters(route), .. QueryParameters(route), .. HeaderParameters(route)],
            Responses = [],
            Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal)
            {
                ["x-function"] = new JsonNodeExtension(JsonValue.Create(route.Function)),
                ["x-access"] = new JsonNodeExtension(JsonValue.Create(RouteTable.Role(route))),
            },
        };

        switch (route.Access)
        {
            case Access.Anonymous:
                operation.Security = [];
                break;
            case Access.WebhookToken:
                operation.Security = [Requirement(document, WebhookToken)];
                break;
        }

        if (route.Method is "POST" or "PUT" or "PATCH" && route.Parameters.Count > 0)
        {
            var body = ParametersSchema(route.Parameters);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = route.Parameters.Any(parameter => parameter.Required),
                Description = "JSON or form-encoded; every parameter may also come in the query string.",
                Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                {
                    [JsonMediaType] = new OpenApiMediaType { Schema = body },
                    [FormMediaType] = new OpenApiMediaType { Schema = body },
                },
            };
        }

        operation.Responses[((int)route.Success.Status).ToString(CultureInfo.InvariantCulture)] = SuccessResponse(document, schemas, route);
        foreach (var group in route.Answers.Concat(CommonAnswers(route)).GroupBy(answer => answer.Status).OrderBy(group => (int)group.Key))
        {
            operation.Responses[((int)group.Key).ToString(CultureInfo.InvariantCulture)] = ErrorResponse(schemas, [.. group]);
        }

        return operation;
    }

    private static string Describe(ApiRoute route) =>
        string.Join(
            " ",
            new[] { route.Description, $"Access: {RouteTable.Role(route)}.", $"Function: `{route.Function}`." }.Where(text => !string.IsNullOrEmpty(text)));

    private static OpenApiResponse SuccessResponse(OpenApiDocument document, SchemaSet schemas, ApiRoute route)
    {
        var response = new OpenApiResponse
        {
            Description = route.Success.Paged ? "One page of items, with GitLab's pagination headers." : route.Success.Status.ToString(),
            Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal),
        };
        if (route.Success.Body is { } type)
        {
            var schema = schemas.For(type, nullable: false);
            response.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
            {
                [JsonMediaType] = new OpenApiMediaType
                {
                    Schema = route.Success.Paged ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema,
                },
            };
        }

        if (route.Success.Paged)
        {
            foreach (var (name, _) in PaginationHeaders)
            {
                response.Headers[name] = new OpenApiHeaderReference(name, document);
            }
        }

        foreach (var (name, description) in route.SuccessHeaders)
        {
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        return response;
    }

    private static OpenApiResponse ErrorResponse(SchemaSet schemas, IReadOnlyList<ApiAnswer> answers)
    {
        var shapes = answers
            .Select(answer => answer.Body is { } type ? (Key: type.Name, Schema: schemas.For(type, nullable: false)) : (Key: "~" + answer.Shape, Schema: (IOpenApiSchema)schemas.Error(answer.Shape)))
            .DistinctBy(shape => shape.Key)
            .OrderBy(shape => shape.Key, StringComparer.Ordinal)
            .Select(shape => shape.Schema)
            .ToList();
        var examples = new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            var key = ExampleKey(answer);
            if (!examples.ContainsKey(key))
            {
                examples[key] = new OpenApiExample { Summary = answer.When, Value = answer.Example.DeepClone() };
            }
        }

        return new OpenApiResponse
        {
            Description = string.Join("; ", answers.Select(answer => answer.When).Distinct()),
            Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
            {
                [JsonMediaType] = new OpenApiMediaType
                {
                    Schema = shapes.Count == 1 ? shapes[0] : new OpenApiSchema { OneOf = shapes },
                    Examples = examples,
                },
            },
        };

        static string ExampleKey(ApiAnswer answer) =>
            answer.Example.ToJsonString().Trim('{', '}').Replace("\"", "", StringComparison.Ordinal) is var text && text.Length > 60 ? text[..60] : text;
    }

    private static IEnumerable<IOpenApiParameter> PathParameters(ApiRoute route) =>
        route.PathParameters.Select(name => (IOpenApiParameter)new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Path,
            Required = true,
            Description = PathParameterDescription(route, name),
            Schema = name == "name" || (name == "id" && route.Template.StartsWith("v4/projects/", StringComparison.Ordinal))
                ? new OpenApiSchema { Type = JsonSchemaType.String }
                : new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
        });

    private static string PathParameterDescription(ApiRoute route, string name) => name switch
    {
        "id" when route.Template.StartsWith("v4/projects/", StringComparison.Ordinal) =>
            "The project's numeric id or its URL-encoded path (`group%2Fproject`), decoded once.",
        "id" or "user_id" => "The user's id.",
        "merge_request_iid" => "The merge request's iid (its number within the project).",
        "check_id" or "external_status_check_id" => "The external status check's id.",
        "delivery_id" => "The delivery's id (shared by its attempts).",
        "name" => "The protected branch's exact name, URL-encoded as one segment (`release%2F*`), decoded once.",
        _ => throw new InvalidOperationException(
            $"Route {route.Display}: describe the path parameter '{name}' in OpenApiDocumentBuilder.PathParameterDescription."),
    };

    private static IEnumerable<IOpenApiParameter> QueryParameters(ApiRoute route)
    {
        if (route.Method is "GET" or "DELETE")
        {
            foreach (var parameter in route.Parameters)
            {
                yield return new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Query,
                    Required = parameter.Required,
                    Description = parameter.Description,
                    Schema = ParameterSchema(parameter),
                };
            }
        }

        if (route.Success.Paged)
        {
            yield return new OpenApiParameter
            {
                Name = ParameterNames.Page, In = ParameterLocation.Query, Description = "Page number; default 1.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Default = 1 },
            };
            yield return new OpenApiParameter
            {
                Name = ParameterNames.PerPage, In = ParameterLocation.Query, Description = "Items per page; default 20, at most 100 (larger values are clamped, 0 is refused).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Default = 20 },
            };
        }
    }

    private static IEnumerable<IOpenApiParameter> HeaderParameters(ApiRoute route) =>
        route.RequestHeaders.Select(header => (IOpenApiParameter)new OpenApiParameter
        {
            Name = header.Key, In = ParameterLocation.Header, Description = header.Value, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

    private static OpenApiSchema ParametersSchema(IReadOnlyList<ApiParameter> parameters) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = parameters.ToDictionary(parameter => parameter.Name, parameter => (IOpenApiSchema)ParameterSchema(parameter), StringComparer.Ordinal),
        Required = parameters.Where(parameter => parameter.Required).Select(parameter => parameter.Name).ToHashSet(StringComparer.Ordinal),
    };

    private static OpenApiSchema ParameterSchema(ApiParameter parameter)
    {
        var schema = parameter.Type switch
        {
            ParameterType.Text or ParameterType.Multiline => new OpenApiSchema { Type = JsonSchemaType.String },
            ParameterType.Id => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
            ParameterType.Number => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ParameterType.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            ParameterType.Date => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
            ParameterType.StringArray => new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ParameterType.IdArray => new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter.Type, "Unknown parameter type."),
        };
        schema.Description = parameter.Description;
        if (parameter.Values.Count > 0)
        {
            schema.Enum = [.. parameter.Values.Select(value => (JsonNode)JsonValue.Create(value))];
        }

        return schema;
    }

    /// <summary>The document's component schemas, each built once from the serializer's contract for its type.</summary>
    private sealed class SchemaSet(OpenApiDocument document)
    {
        private static readonly NullabilityInfoContext Nullability = new();

        private IDictionary<string, IOpenApiSchema> Components => document.Components!.Schemas!;

        /// <summary>The schema of one of GitLab's error bodies (see <see cref="ErrorShape"/>).</summary>
        public OpenApiSchemaReference Error(ErrorShape shape)
        {
            var name = shape.ToString();
            if (!Components.ContainsKey(name))
            {
                var strings = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } };
                var (property, schema) = shape switch
                {
                    ErrorShape.Message => ("message", new OpenApiSchema { Type = JsonSchemaType.String }),
                    ErrorShape.MessageList => ("message", strings),
                    ErrorShape.FieldMessages => ("message", new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = strings }),
                    _ => ("error", new OpenApiSchema { Type = JsonSchemaType.String }),
                };
                Components[name] = Object(new() { [property] = schema }, [property]);
            }

            return new OpenApiSchemaReference(name, document);
        }

        public IOpenApiSchema For(Type type, bool nullable)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return For(underlying, nullable: true);
            }

            var scalar = Scalar(type);
            if (scalar is not null)
            {
                if (nullable)
                {
                    scalar.Type |= JsonSchemaType.Null;
                }

                return scalar;
            }

            if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(IsEnumerable) is { } enumerable)
            {
                return new OpenApiSchema
                {
                    Type = JsonSchemaType.Array | (nullable ? JsonSchemaType.Null : 0),
                    Items = For(enumerable.GetGenericArguments()[0], nullable: false),
                };
            }

            if (type == typeof(object))
            {
                return new OpenApiSchema();
            }

            var reference = Component(type);
            return nullable ? new OpenApiSchema { OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] } : reference;
        }

        private static bool IsEnumerable(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>);

        private static OpenApiSchema? Scalar(Type type) => type switch
        {
            _ when type == typeof(string) => new OpenApiSchema { Type = JsonSchemaType.String },
            _ when type == typeof(long) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            _ when type == typeof(int) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            _ when type == typeof(bool) => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            _ when type == typeof(DateTimeOffset) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ when type == typeof(DateOnly) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
            _ when type == typeof(Guid) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            _ => null,
        };

        private OpenApiSchemaReference Component(Type type)
        {
            var name = type == typeof(MessageBody) ? nameof(ErrorShape.Message) : type.Name;
            if (!Components.ContainsKey(name))
            {
                Components[name] = new OpenApiSchema(); // placeholder: a model may refer to itself
                var info = JsonResponses.SerializerOptions.GetTypeInfo(type);
                var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                var required = new List<string>();
                foreach (var property in info.Properties)
                {
                    properties[property.Name] = For(property.PropertyType, IsNullable(property));
                    if (!IsConditional(property))
                    {
                        required.Add(property.Name);
                    }
                }

                Components[name] = Object(properties, required);
            }

            return new OpenApiSchemaReference(name, document);
        }

        private static bool IsNullable(JsonPropertyInfo property) =>
            property.AttributeProvider switch
            {
                PropertyInfo member => Nullability.Create(member).ReadState == NullabilityState.Nullable,
                _ => property.IsGetNullable && !property.PropertyType.IsValueType,
            };

        /// <summary>A property the serializer leaves out in some cases (e.g. <c>is_admin</c> unless the caller is the admin).</summary>
        private static bool IsConditional(JsonPropertyInfo property) =>
            property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                .OfType<JsonIgnoreAttribute>()
                .Any(ignore => ignore.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;

        private static OpenApiSchema Object(Dictionary<string, IOpenApiSchema> properties, IEnumerable<string> required) => new()
        {
            Type = JsonSchemaType.Object,
            Properties = properties,
            Required = new HashSet<string>(required, StringComparer.Ordinal),
        };
    }
}
