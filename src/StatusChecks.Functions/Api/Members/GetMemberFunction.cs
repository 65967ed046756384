using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Members;

/// <summary>GET /api/v4/projects/:id/members/:user_id (Guest): the membership; 404 Not found for a non-member.</summary>
public sealed class GetMemberFunction(IAuthenticator authenticator, IMemberService members)
{
    [Function("GetMember")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/members/{user_id}")] HttpRequestData request,
        string id,
        string user_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var member = await members.GetAsync(caller, RouteValues.Project(id), RouteValues.RecordId(user_id), cancellationToken);
        return await request.OkAsync(member, cancellationToken);
    }
}
