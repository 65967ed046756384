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
        // The API's media type exactly (no charset), as the worker's own answers carry it.
        await response.WriteAsJsonAsync(new { message }, options: null, contentType: "application/json");
    }
}
