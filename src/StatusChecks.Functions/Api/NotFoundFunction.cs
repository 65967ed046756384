using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api;

/// <summary>
/// Any /api/v4 path no other function routes: GitLab's unknown-route answer, 404 <c>{"error":"404 Not Found"}</c>.
/// The host's ASP.NET routing prefers every more specific route template over this catch-all.
/// </summary>
public static class NotFoundFunction
{
    [Function("NotFound")]
    public static Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "v4/{*path}")]
        HttpRequestData request,
        CancellationToken cancellationToken) =>
        request.ErrorAsync(ApiError.RouteNotFound, cancellationToken);
}
