using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>POST /api/v4/projects/:id/external_status_checks (Maintainer): 201 with the new check.</summary>
public sealed class CreateExternalStatusCheckFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("CreateExternalStatusCheck")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects/{id}/external_status_checks")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, StatusCheckParameters.All, cancellationToken, StatusCheckParameters.Aliases);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var input = new NewStatusCheck(
            call.OptionalString(ParameterNames.Name),
            call.OptionalString(ParameterNames.ExternalUrl),
            call.OptionalString(ParameterNames.SharedSecret),
            call.OptionalLongArray(ParameterNames.ProtectedBranchIds));
        var check = await checks.CreateAsync(caller, RouteValues.Project(id), input, cancellationToken);
        return await request.CreatedAsync(check, cancellationToken);
    }
}
