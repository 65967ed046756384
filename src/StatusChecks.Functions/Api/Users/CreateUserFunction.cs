using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Users;

/// <summary>POST /api/v4/users (admin): username, name, email.</summary>
public sealed class CreateUserFunction(IAuthenticator authenticator, IUserService users)
{
    [Function("CreateUser")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/users")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Username, ParameterNames.Name, ParameterNames.Email], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var user = await users.CreateAsync(
            caller,
            new(call.OptionalString(ParameterNames.Username), call.OptionalString(ParameterNames.Name), call.OptionalString(ParameterNames.Email)),
            cancellationToken);
        return await request.CreatedAsync(user, cancellationToken);
    }
}
