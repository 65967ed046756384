using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.Azure.Functions.Worker.Http;

namespace StatusChecks.Functions.Http;

/// <summary>Writes GitLab-shaped JSON responses; every function answers through these helpers.</summary>
public static class JsonResponses
{
    /// <summary>
    /// GitLab's wire format: snake_case names, nulls written out, enums as snake_case strings, times as
    /// <c>2026-11-25T10:00:00.000Z</c>. Non-ASCII text is written as is (HTML-sensitive characters stay escaped).
    /// </summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters =
        {
            new UtcTimestampConverter(),
            new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower),
        },
    };

    /// <summary>
    /// GitLab's media type, with no charset parameter: python-gitlab up to 3.13 (the version Linux distributions
    /// ship) compares the header exactly and refuses anything else. JSON is UTF-8 by definition (RFC 8259).
    /// </summary>
    public const string MediaType = "application/json";

    /// <summary>200 with <paramref name="body"/>.</summary>
    public static Task<HttpResponseData> OkAsync<T>(this HttpRequestData request, T body, CancellationToken cancellationToken) =>
        request.CreateJsonResponseAsync(HttpStatusCode.OK, body, cancellationToken);

    /// <summary>201 with the created resource.</summary>
    public static Task<HttpResponseData> CreatedAsync<T>(this HttpRequestData request, T body, CancellationToken cancellationToken) =>
        request.CreateJsonResponseAsync(HttpStatusCode.Created, body, cancellationToken);

    /// <summary>202 <c>{"message":"202 Accepted"}</c>, as GitLab's <c>accepted!</c>.</summary>
    public static Task<HttpResponseData> AcceptedAsync(this HttpRequestData request, CancellationToken cancellationToken) =>
        request.CreateJsonResponseAsync(HttpStatusCode.Accepted, new { Message = "202 Accepted" }, cancellationToken);

    /// <summary>204 without a body.</summary>
    public static HttpResponseData NoContent(this HttpRequestData request) => request.CreateResponse(HttpStatusCode.NoContent);

    /// <summary>The error's status and body.</summary>
    public static Task<HttpResponseData> ErrorAsync(this HttpRequestData request, ApiError error, CancellationToken cancellationToken) =>
        request.CreateJsonResponseAsync(error.Status, error.Body, cancellationToken);

    /// <summary>
    /// Writes <paramref name="body"/> as JSON with the given status. (The worker's own WriteAsJsonAsync
    /// resets the status to 200, which would turn every error into a success.)
    /// </summary>
    public static async Task<HttpResponseData> CreateJsonResponseAsync<T>(
        this HttpRequestData request, HttpStatusCode status, T body, CancellationToken cancellationToken = default)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", MediaType);
        await JsonSerializer.SerializeAsync(response.Body, body, SerializerOptions, cancellationToken);
        return response;
    }
}
