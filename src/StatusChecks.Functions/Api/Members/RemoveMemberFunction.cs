using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Members;

/// <summary>DELETE /api/v4/projects/:id/members/:user_id (Maintainer; an Owner only by the admin): 204.</summary>
public sealed class RemoveMemberFunction(IAuthenticator authenticator, IMemberService members)
{
    [Function("RemoveMember")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v4/projects/{id}/members/{user_id}")] HttpRequestData request,
        string id,
        string user_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await members.RemoveAsync(caller, RouteValues.Project(id), RouteValues.RecordId(user_id), cancellationToken);
        return request.NoContent();
    }
}
