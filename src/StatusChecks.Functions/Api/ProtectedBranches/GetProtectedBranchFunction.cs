using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.ProtectedBranches;

/// <summary>
/// GET /api/v4/projects/:id/protected_branches/:name (Maintainer): the branch or wildcard by its exact name, given as one
/// URL-encoded path segment (<c>release%2F*</c>) and decoded exactly once; 404 Not found.
/// </summary>
public sealed class GetProtectedBranchFunction(IAuthenticator authenticator, IProtectedBranchService branches)
{
    [Function("GetProtectedBranch")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/protected_branches/{name}")] HttpRequestData request,
        string id,
        string name,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var branch = await branches.GetAsync(caller, RouteValues.Project(id), RouteValues.LastSegment(request.Url, name), cancellationToken);
        return await request.OkAsync(branch, cancellationToken);
    }
}
