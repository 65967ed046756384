using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Contract;

/// <summary>
/// GET /api/v4/openapi.json (no token): the OpenAPI 3.1 document of every route, built from <see cref="RouteCatalogue"/>
/// (the same text as docs/openapi.json).
/// </summary>
public static class GetOpenApiDocumentFunction
{
    [Function("GetOpenApiDocument")]
    public static async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/openapi.json")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", JsonResponses.MediaType);
        await response.WriteStringAsync(OpenApiDocumentBuilder.Json, cancellationToken);
        return response;
    }
}
