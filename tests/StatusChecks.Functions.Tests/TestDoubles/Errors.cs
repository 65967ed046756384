using System.Net;
using System.Text.Json;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Tests.TestDoubles;

internal static class Errors
{
    /// <summary>The error as the client sees it: status and JSON body text.</summary>
    public static (HttpStatusCode Status, string Body) Wire(ApiError error) =>
        (error.Status, JsonSerializer.Serialize(error.Body, JsonResponses.SerializerOptions));

    public static async Task<(HttpStatusCode Status, string Body)> CaughtAsync(Func<Task> action) =>
        Wire((await Assert.ThrowsAsync<ApiRequestException>(action)).Error);

    public static (HttpStatusCode Status, string Body) Caught(Func<object?> action) =>
        Wire(Assert.Throws<ApiRequestException>(action).Error);
}
