using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>PUT /api/v4/projects/:id/external_status_checks/:check_id (Maintainer): given fields replace; 200 with the check.</summary>
public sealed class UpdateExternalStatusCheckFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("UpdateExternalStatusCheck")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v4/projects/{id}/external_status_checks/{check_id}")] HttpRequestData request,
        string id,
        string check_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, StatusCheckParameters.All, cancellationToken, StatusCheckParameters.Aliases);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var changes = new StatusCheckChanges(
            call.OptionalString(ParameterNames.Name),
            call.OptionalString(ParameterNames.ExternalUrl),
            call.OptionalString(ParameterNames.SharedSecret),
            call.OptionalLongArray(ParameterNames.ProtectedBranchIds));
        var check = await checks.UpdateAsync(
            caller, RouteValues.Project(id), RouteValues.RecordId(check_id), changes, cancellationToken);
        return await request.OkAsync(check, cancellationToken);
    }
}
