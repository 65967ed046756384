using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.MergeRequests;

/// <summary>GET /api/v4/projects/:id/merge_requests/:merge_request_iid (Reporter), including <c>detailed_merge_status</c>.</summary>
public sealed class GetMergeRequestFunction(IAuthenticator authenticator, IMergeRequestService mergeRequests)
{
    [Function("GetMergeRequest")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}")] HttpRequestData request,
        string id,
        string merge_request_iid,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var mergeRequest = await mergeRequests.GetAsync(
            caller, RouteValues.Project(id), RouteValues.RecordId(merge_request_iid), cancellationToken);
        return await request.OkAsync(mergeRequest, cancellationToken);
    }
}
