using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Users;

/// <summary>POST /api/v4/users (admin): username, name, email.</summary>
public sealed class CreateUserFunction(IAuthenticator authenticator, IUserService users)
{
    [Function("CreateUser")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/users")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, ["username", "name", "email"], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var user = await users.CreateAsync(
            caller,
            new(call.OptionalString("username"), call.OptionalString("name"), call.OptionalString("email")),
            cancellationToken);
        return await request.CreatedAsync(user, cancellationToken);
    }
}
