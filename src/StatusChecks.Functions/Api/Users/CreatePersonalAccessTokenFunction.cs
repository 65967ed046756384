using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Users;

/// <summary>
/// POST /api/v4/users/:user_id/personal_access_tokens (admin): name, scopes (api, read_api), expires_at (yyyy-MM-dd).
/// The answer carries the plaintext token, the only time it is ever shown.
/// </summary>
public sealed class CreatePersonalAccessTokenFunction(IAuthenticator authenticator, IUserService users)
{
    [Function("CreatePersonalAccessToken")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/users/{user_id}/personal_access_tokens")] HttpRequestData request,
        string user_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Name, ParameterNames.Scopes, ParameterNames.ExpiresAt], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var token = await users.CreateTokenAsync(
            caller,
            RouteValues.Id(user_id, ResourceNames.User),
            new(call.OptionalString(ParameterNames.Name), call.OptionalStringArray(ParameterNames.Scopes), call.OptionalDate(ParameterNames.ExpiresAt)),
            cancellationToken);
        return await request.CreatedAsync(token, cancellationToken);
    }
}
