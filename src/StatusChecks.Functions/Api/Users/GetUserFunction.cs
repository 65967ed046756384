using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Users;

/// <summary>GET /api/v4/users/:id (any token): the user's public profile; 404 User Not Found.</summary>
public sealed class GetUserFunction(IAuthenticator authenticator, IUserService users)
{
    [Function("GetUser")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/users/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        return await request.OkAsync(await users.GetAsync(caller, RouteValues.Id(id, ResourceNames.User), cancellationToken), cancellationToken);
    }
}
