using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using StatusChecks.Core.Domain;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Contract;

/// <summary>Who may call a route: the lowest project role, or a kind of caller.</summary>
public enum Access
{
    /// <summary>No token needed.</summary>
    Anonymous,

    /// <summary>Any valid token (the admin's or a user's).</summary>
    AnyToken,

    /// <summary>The instance administrator's token only.</summary>
    Admin,

    Guest,
    Reporter,
    Developer,
    Maintainer,

    /// <summary>(extension) GitLab's webhook secret in <c>X-Gitlab-Token</c> instead of a user token.</summary>
    WebhookToken,
}

/// <summary>How a parameter is read (the <see cref="ApiRequest"/> accessor the function uses).</summary>
public enum ParameterType
{
    /// <summary>One line of text (no control characters).</summary>
    Text,

    /// <summary>Multi-line text (tabs and line breaks allowed).</summary>
    Multiline,

    /// <summary>A positive 64-bit id.</summary>
    Id,

    Number,
    Boolean,

    /// <summary>A calendar date, <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>Strings: <c>a[]=x&amp;a[]=y</c>, <c>a=x,y</c> or a JSON array.</summary>
    StringArray,

    /// <summary>Positive 64-bit ids: <c>a[]=1&amp;a[]=2</c>, <c>a=1,2</c> or a JSON array.</summary>
    IdArray,
}

/// <summary>
/// A declared parameter. Path parameters come from the route template; the others are read from the query string
/// or the body (JSON or form), so GET and DELETE document them in the query and POST and PUT in the body.
/// </summary>
public sealed record ApiParameter(string Name, ParameterType Type, string Description, bool Required = false)
{
    /// <summary>The only values accepted (an enum); another answers 400 "does not have a valid value".</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    public static ApiParameter Text(string name, string description, bool required = false) => new(name, ParameterType.Text, description, required);

    public static ApiParameter Multiline(string name, string description) => new(name, ParameterType.Multiline, description);

    public static ApiParameter Id(string name, string description, bool required = false) => new(name, ParameterType.Id, description, required);

    public static ApiParameter Number(string name, string description, bool required = false) => new(name, ParameterType.Number, description, required);

    public static ApiParameter Boolean(string name, string description, bool required = false) => new(name, ParameterType.Boolean, description, required);

    public static ApiParameter Date(string name, string description) => new(name, ParameterType.Date, description);

    public static ApiParameter Strings(string name, string description, bool required = false) => new(name, ParameterType.StringArray, description, required);

    public static ApiParameter Ids(string name, string description) => new(name, ParameterType.IdArray, description);

    public static ApiParameter OneOf(string name, string description, params string[] values) =>
        new(name, ParameterType.Text, description) { Values = values };
}

/// <summary>The success answer: its status and body type (null for no body; a list is a paged JSON array).</summary>
public sealed record ApiResult(HttpStatusCode Status, Type? Body, bool Paged = false)
{
    public static ApiResult Ok<T>() => new(HttpStatusCode.OK, typeof(T));

    public static ApiResult Created<T>() => new(HttpStatusCode.Created, typeof(T));

    /// <summary>200 with one page of items and GitLab's pagination headers; <c>page</c>/<c>per_page</c> are declared.</summary>
    public static ApiResult Page<T>() => new(HttpStatusCode.OK, typeof(T), Paged: true);

    /// <summary>202 <c>{"message":"202 Accepted"}</c> (see <see cref="JsonResponses.AcceptedAsync"/>).</summary>
    public static ApiResult Accepted { get; } = new(HttpStatusCode.Accepted, typeof(MessageBody));

    public static ApiResult NoContent { get; } = new(HttpStatusCode.NoContent, null);
}

/// <summary>The four JSON shapes GitLab's errors take.</summary>
public enum ErrorShape
{
    /// <summary><c>{"message":"404 Project Not Found"}</c>.</summary>
    Message,

    /// <summary><c>{"message":["Name has already been taken"]}</c>: model validation (422) and "Not allowed" (401).</summary>
    MessageList,

    /// <summary><c>{"message":{"path":["has already been taken"]}}</c>: GitLab's render_validation_error!.</summary>
    FieldMessages,

    /// <summary><c>{"error":"name is missing"}</c>: Grape's parameter errors and the unknown route.</summary>
    Error,
}

/// <summary>
/// One answer a route can give other than its success: the real <see cref="ApiError"/> the code builds (so the
/// example body is exactly what goes on the wire) and when it is given.
/// </summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonNode Example, string When)
{
    /// <summary>The body's type when it is not one of GitLab's error shapes (the health report's 503).</summary>
    public Type? Body { get; init; }

    public ErrorShape Shape => Example.AsObject() switch
    {
        var body when body.ContainsKey("error") => ErrorShape.Error,
        var body when body["message"] is { } message => message.GetValueKind() switch
        {
            JsonValueKind.Array => ErrorShape.MessageList,
            JsonValueKind.Object => ErrorShape.FieldMessages,
            _ => ErrorShape.Message,
        },
        _ => throw new InvalidOperationException($"{Example.ToJsonString()} is none of GitLab's error shapes: set {nameof(Body)} to its type."),
    };

    public static ApiAnswer Of(ApiError error, string when) =>
        new(error.Status, JsonSerializer.SerializeToNode(error.Body, JsonResponses.SerializerOptions)!, when);

    public static ApiAnswer Of(DomainError error, string when) => Of(ApiError.From(error), when);
}

/// <summary>
/// One HTTP route of the function app, as <see cref="RouteCatalogue"/> declares it. <see cref="Template"/> and
/// <see cref="Method"/> are the function's <c>HttpTrigger</c> route and method exactly (without the <c>api</c> prefix
/// from host.json); <see cref="Function"/> is its <c>[Function]</c> name.
/// </summary>
public sealed record ApiRoute(string Method, string Template, string Function, Access Access, string Summary)
{
    /// <summary>The group the route belongs to (an OpenAPI tag), set by the catalogue's sections.</summary>
    public string Tag { get; init; } = "";

    /// <summary>Refinement of <see cref="Access"/> for readers, e.g. "admin to add an Owner".</summary>
    public string? AccessNote { get; init; }

    /// <summary>What the route does beyond <see cref="Summary"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Query or body parameters (path parameters come from <see cref="Template"/>).</summary>
    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    /// <summary>Grape's <c>at_least_one_of</c>: 400 naming them all when none is sent.</summary>
    public bool AtLeastOneParameter { get; init; }

    public ApiResult Success { get; init; } = new(HttpStatusCode.OK, null);

    /// <summary>Response headers of the success answer other than pagination, name to description.</summary>
    public IReadOnlyDictionary<string, string> SuccessHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Request headers the route reads (other than the token), name to description.</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The route's own refusals. Those every route of its kind gives (401 without a token, 403 below the role or
    /// with a read_api token on a write, 404 for a project the caller cannot see, 400/413/415 for an unreadable
    /// request, 500, 503) are added by <see cref="OpenApiDocumentBuilder"/>.
    /// </summary>
    public IReadOnlyList<ApiAnswer> Answers { get; init; } = [];

    /// <summary>The route as a reader writes it: <c>GET /api/v4/projects/:id</c>.</summary>
    public string Display => $"{Method} {Path}";

    /// <summary>The URL path with GitLab's <c>:name</c> placeholders, e.g. <c>/api/v4/projects/:id</c>.</summary>
    public string Path => "/api/" + string.Join('/', Template.Split('/').Select(s => s.StartsWith('{') ? ":" + s.Trim('{', '}', '*') : s));

    /// <summary>The route's path parameters, in order.</summary>
    public IEnumerable<string> PathParameters => Template.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));
}

/// <summary><c>{"message": "..."}</c>: the 202 answer's body.</summary>
public sealed record MessageBody(string Message);

/// <summary>GET /api/v4/version's body.</summary>
public sealed record VersionInfo(string Version, string Revision);

/// <summary>GET /api/health's body: <c>ok</c> or <c>unavailable</c>, and <c>ok</c>/<c>unreachable</c> per storage service.</summary>
public sealed record HealthReport(string Status, StorageHealth Storage);

public sealed record StorageHealth(string Tables, string Queues);
