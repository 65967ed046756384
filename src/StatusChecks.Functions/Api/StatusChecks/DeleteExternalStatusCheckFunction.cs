using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>
/// DELETE /api/v4/projects/:id/external_status_checks/:check_id (Maintainer): 204; 412 when the check changed after
/// the request's If-Unmodified-Since.
/// </summary>
public sealed class DeleteExternalStatusCheckFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("DeleteExternalStatusCheck")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v4/projects/{id}/external_status_checks/{check_id}")] HttpRequestData request,
        string id,
        string check_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await checks.DeleteAsync(
            caller, RouteValues.Project(id), RouteValues.RecordId(check_id), Preconditions.IfUnmodifiedSince(request), cancellationToken);
        return request.NoContent();
    }
}
