using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.ProtectedBranches;

/// <summary>
/// DELETE /api/v4/projects/:id/protected_branches/:name (Maintainer): 204. The name is one URL-encoded path segment
/// (<c>release%2F*</c>), decoded exactly once (see <see cref="RouteValues.LastSegment"/>); 404 Not found.
/// </summary>
public sealed class DeleteProtectedBranchFunction(IAuthenticator authenticator, IProtectedBranchService branches)
{
    [Function("DeleteProtectedBranch")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v4/projects/{id}/protected_branches/{name}")] HttpRequestData request,
        string id,
        string name,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await branches.DeleteAsync(caller, RouteValues.Project(id), RouteValues.LastSegment(request.Url, name), cancellationToken);
        return request.NoContent();
    }
}
