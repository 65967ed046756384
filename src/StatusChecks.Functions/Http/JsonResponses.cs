using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace StatusChecks.Functions.Http;

public static class JsonResponses
{
    /// <summary>GitLab's wire format: snake_case names, nulls written out.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// Writes <paramref name="body"/> as JSON with the given status. (The worker's own WriteAsJsonAsync
    /// resets the status to 200, which would turn every error into a success.)
    /// </summary>
    public static async Task<HttpResponseData> CreateJsonResponseAsync<T>(
        this HttpRequestData request, HttpStatusCode status, T body, CancellationToken cancellationToken = default)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await JsonSerializer.SerializeAsync(response.Body, body, SerializerOptions, cancellationToken);
        return response;
    }
}
