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
        await response.WriteAsJsonAsync(new { message });
    }
}
