using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Members;

/// <summary>GET /api/v4/projects/:id/members (Maintainer), paginated.</summary>
public sealed class ListMembersFunction(IAuthenticator authenticator, IMemberService members)
{
    [Function("ListMembers")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/members")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var page = await members.ListAsync(caller, RouteValues.Project(id), call.Page(), cancellationToken);
        return await request.PagedAsync(page, cancellationToken);
    }
}
