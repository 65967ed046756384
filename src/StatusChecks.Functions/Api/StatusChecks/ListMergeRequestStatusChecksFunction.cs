using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.StatusChecks;

/// <summary>
/// GET /api/v4/projects/:id/merge_requests/:merge_request_iid/status_checks (Reporter): the checks that apply to
/// the MR with their status at its HEAD, paged.
/// </summary>
public sealed class ListMergeRequestStatusChecksFunction(IAuthenticator authenticator, IStatusCheckService checks)
{
    private const string PollInterval = "10000";

    [Function("ListMergeRequestStatusChecks")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks")]
        HttpRequestData request,
        string id,
        string merge_request_iid,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var page = await checks.ListForMergeRequestAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.RecordId(merge_request_iid),
            call.Page(),
            cancellationToken);
        var response = await request.PagedAsync(page, cancellationToken);
        response.Headers.Add("Poll-Interval", PollInterval); // GitLab asks pollers to wait 10 s between reads
        return response;
    }
}
