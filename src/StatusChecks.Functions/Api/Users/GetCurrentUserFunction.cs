using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Users;

/// <summary>GET /api/v4/user (any token): the token's own user; clients call it to check a token (python-gitlab's <c>gl.auth()</c>).</summary>
public sealed class GetCurrentUserFunction(IAuthenticator authenticator, IUserService users)
{
    [Function("GetCurrentUser")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/user")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        return await request.OkAsync(await users.GetCurrentAsync(caller, cancellationToken), cancellationToken);
    }
}
