using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>
/// POST /api/v4/projects/:id/merge_requests/:merge_request_iid/status_checks/:external_status_check_id/retry
/// (Developer): a failed check goes back to pending and is notified again; 202.
/// </summary>
public sealed class RetryStatusCheckFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    [Function("RetryStatusCheck")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(
            AuthorizationLevel.Anonymous,
            "post",
            Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{external_status_check_id}/retry")]
        HttpRequestData request,
        string id,
        string merge_request_iid,
        string external_status_check_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await checks.RetryAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.RecordId(merge_request_iid),
            RouteValues.RecordId(external_status_check_id),
            cancellationToken);
        return await request.AcceptedAsync(cancellationToken);
    }
}
