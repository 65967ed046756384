using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.MergeRequests;

/// <summary>
/// GET /api/v4/projects/:id/merge_requests (Reporter), paginated, newest first: state (opened, closed, locked, merged,
/// all; default all), target_branch, source_branch, sort (desc, asc).
/// </summary>
public sealed class ListMergeRequestsFunction(IAuthenticator authenticator, IMergeRequestService mergeRequests)
{
    [Function("ListMergeRequests")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/merge_requests")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [ParameterNames.State, ParameterNames.TargetBranch, ParameterNames.SourceBranch, ParameterNames.Sort], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var query = new MergeRequestQuery(
            call.OptionalEnum(ParameterNames.State, MergeRequestStates.Opened, MergeRequestStates.Closed, MergeRequestStates.Locked, MergeRequestStates.Merged, MergeRequestStates.All),
            call.OptionalString(ParameterNames.TargetBranch),
            call.OptionalString(ParameterNames.SourceBranch),
            call.OptionalEnum(ParameterNames.Sort, "asc", "desc"));
        var page = await mergeRequests.ListAsync(caller, RouteValues.Project(id), query, call.Page(), cancellationToken);
        return await request.PagedAsync(page, cancellationToken);
    }
}
