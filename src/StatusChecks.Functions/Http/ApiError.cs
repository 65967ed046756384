using System.Net;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Http;

/// <summary>
/// A GitLab-shaped error response: the status and the JSON body, which is <c>{"message": ...}</c> or
/// <c>{"error": "..."}</c> depending on where GitLab raises it (Grape parameter errors use "error").
/// </summary>
public sealed record ApiError(HttpStatusCode Status, object Body)
{
    public static ApiError Unauthorized { get; } = Message(HttpStatusCode.Unauthorized, "401 Unauthorized");

    public static ApiError Forbidden { get; } = Message(HttpStatusCode.Forbidden, "403 Forbidden");

    public static ApiError MethodNotAllowed { get; } = Message(HttpStatusCode.MethodNotAllowed, "405 Method Not Allowed");

    /// <summary>GitLab's body for a path no route matches (its catch-all route uses "error", not "message").</summary>
    public static ApiError RouteNotFound { get; } = Error(HttpStatusCode.NotFound, "404 Not Found");

    public static ApiError MalformedJson { get; } = Message(HttpStatusCode.BadRequest, "400 Bad request - malformed JSON");

    public static ApiError RequestTooLarge { get; } = Message(HttpStatusCode.RequestEntityTooLarge, "413 Request Entity Too Large");

    public static ApiError UnsupportedMediaType { get; } = Message(HttpStatusCode.UnsupportedMediaType, "415 Unsupported Media Type");

    public static ApiError ServiceUnavailable { get; } = Message(HttpStatusCode.ServiceUnavailable, "503 Service Unavailable");

    public static ApiError InternalServerError { get; } = Message(HttpStatusCode.InternalServerError, "500 Internal Server Error");

    /// <summary>404 {"message":"404 Not found"}: GitLab's answer for a record missing inside a visible project.</summary>
    public static ApiError RecordNotFound { get; } = Message(HttpStatusCode.NotFound, "404 Not found");

    /// <summary>401 {"message":["Not allowed"]}: the status-check services' refusal of a member below Maintainer.</summary>
    public static ApiError NotPermitted { get; } = Message(HttpStatusCode.Unauthorized, new[] { "Not allowed" });

    public static ApiError PreconditionFailed { get; } = Message(HttpStatusCode.PreconditionFailed, "412 Precondition Failed");

    /// <summary>404 {"message":"404 {thing} Not Found"}, thing one of <see cref="ResourceNames"/>.</summary>
    public static ApiError NotFound(string thing) => Message(HttpStatusCode.NotFound, $"404 {thing} Not Found");

    /// <summary>400 {"error":"{name} is missing"}.</summary>
    public static ApiError MissingParameter(string name) => Error(HttpStatusCode.BadRequest, $"{name} is missing");

    /// <summary>400 {"error":"{name} is invalid"}: a value of the wrong type or shape.</summary>
    public static ApiError InvalidParameter(string name) => Error(HttpStatusCode.BadRequest, $"{name} is invalid");

    /// <summary>400 {"error":"{name} does not have a valid value"}: Grape's wording for a value outside the allowed set.</summary>
    public static ApiError NotAValidValue(string name) => Error(HttpStatusCode.BadRequest, $"{name} does not have a valid value");

    /// <summary>400 {"error":"a, b are missing, at least one parameter must be provided"}: Grape's <c>at_least_one_of</c>.</summary>
    public static ApiError AtLeastOneOf(IEnumerable<string> names) =>
        Error(HttpStatusCode.BadRequest, $"{string.Join(", ", names)} are missing, at least one parameter must be provided");

    /// <summary>The one place that knows how each domain refusal looks on the wire.</summary>
    public static ApiError From(DomainError error) => error switch
    {
        DomainError.Unauthorized => Unauthorized,
        DomainError.Forbidden => Forbidden,
        DomainError.NotFound notFound => NotFound(notFound.Thing),
        DomainError.RecordNotFound => RecordNotFound,
        DomainError.NotPermitted => NotPermitted,
        DomainError.PreconditionFailed => PreconditionFailed,
        DomainError.MissingParameter missing => MissingParameter(missing.Name),
        DomainError.InvalidParameter invalid => InvalidParameter(invalid.Name),
        DomainError.ValidationFailed failed => Message(HttpStatusCode.BadRequest, failed.Errors),
        DomainError.RecordInvalid invalid => Message(HttpStatusCode.UnprocessableEntity, invalid.Messages),
        DomainError.Conflict conflict => Message(HttpStatusCode.Conflict, conflict.Message),
        DomainError.NotAllowed => MethodNotAllowed,
        DomainError.Unprocessable unprocessable => Message(HttpStatusCode.UnprocessableEntity, unprocessable.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Unmapped domain error kind."),
    };

    private static ApiError Message(HttpStatusCode status, object message) => new(status, new MessageBody(message));

    private static ApiError Error(HttpStatusCode status, string error) => new(status, new ErrorBody(error));

    private sealed record MessageBody(object Message);

    private sealed record ErrorBody(string Error);
}

/// <summary>
/// Thrown by the HTTP layer when a request cannot be read (bad JSON, unknown parameter, unparseable value, ...);
/// <see cref="ApiErrorMiddleware"/> writes <see cref="Error"/> as the response.
/// </summary>
public sealed class ApiRequestException(ApiError error) : Exception($"{(int)error.Status} {error.Status}")
{
    public ApiError Error { get; } = error;
}
