using System.Text.Json;

namespace StatusChecks.LocalHost.Http;

/// <summary>Errors the host itself answers, in the same <c>{"message": ...}</c> shape as the API.</summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpResponse response, int status, string message)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = status;
        // The API's media type exactly (no charset), as the worker's own answers carry it; a length rather than
        // chunks, so a client still sending a refused body can read the whole answer at once.
        var body = JsonSerializer.SerializeToUtf8Bytes(new { message });
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}
