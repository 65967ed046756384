using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.ProtectedBranches;

/// <summary>POST /api/v4/projects/:id/protected_branches (Maintainer): name, an exact branch or a wildcard such as <c>release/*</c>.</summary>
public sealed class CreateProtectedBranchFunction(IAuthenticator authenticator, IProtectedBranchService branches)
{
    [Function("CreateProtectedBranch")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects/{id}/protected_branches")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Name], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var branch = await branches.CreateAsync(caller, RouteValues.Project(id), call.OptionalString(ParameterNames.Name), cancellationToken);
        return await request.CreatedAsync(branch, cancellationToken);
    }
}
