using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.MergeRequests;

/// <summary>
/// PUT /api/v4/projects/:id/merge_requests/:merge_request_iid/merge (Developer): sha (optional, must be the HEAD).
/// 405 when the MR is not open or status checks block it, 409 for another sha.
/// </summary>
public sealed class MergeMergeRequestFunction(IAuthenticator authenticator, IMergeRequestService mergeRequests)
{
    [Function("MergeMergeRequest")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/merge")] HttpRequestData request,
        string id,
        string merge_request_iid,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Sha], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var mergeRequest = await mergeRequests.MergeAsync(
            caller, RouteValues.Project(id), RouteValues.RecordId(merge_request_iid), call.OptionalString(ParameterNames.Sha), cancellationToken);
        return await request.OkAsync(mergeRequest, cancellationToken);
    }
}
