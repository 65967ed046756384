using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>
/// POST /api/v4/projects/:id/merge_requests/:merge_request_iid/status_check_responses (Developer): an external
/// service reports passed/failed/pending for the MR's HEAD sha; 201 with the recorded response.
/// </summary>
public sealed class CreateStatusCheckResponseFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("CreateStatusCheckResponse")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/status_check_responses")]
        HttpRequestData request,
        string id,
        string merge_request_iid,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Sha, ParameterNames.ExternalStatusCheckId, ParameterNames.Status], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var input = new NewStatusCheckResponse(
            call.OptionalString(ParameterNames.Sha),
            call.OptionalLong(ParameterNames.ExternalStatusCheckId),
            call.OptionalEnum(ParameterNames.Status, CheckStatuses.Passed, CheckStatuses.Failed, CheckStatuses.Pending)); // absent: passed (see CheckRules)
        var response = await checks.RespondAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.RecordId(merge_request_iid),
            input,
            cancellationToken);
        return await request.CreatedAsync(response, cancellationToken);
    }
}
