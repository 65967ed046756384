using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>GET /api/v4/projects/:id/external_status_checks (Maintainer): the project's checks, paged.</summary>
public sealed class ListExternalStatusChecksFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("ListExternalStatusChecks")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/external_status_checks")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var page = await checks.ListAsync(caller, RouteValues.Project(id), call.Page(), cancellationToken);
        return await request.PagedAsync(page, cancellationToken);
    }
}
