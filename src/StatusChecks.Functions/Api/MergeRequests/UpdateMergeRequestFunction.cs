using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.MergeRequests;

/// <summary>
/// PUT /api/v4/projects/:id/merge_requests/:merge_request_iid (Developer): title, description, target_branch, sha
/// (a new commit), state_event (close, reopen); at least one of them.
/// </summary>
public sealed class UpdateMergeRequestFunction(IAuthenticator authenticator, IMergeRequestService mergeRequests)
{
    private static readonly string[] Parameters = [ParameterNames.Title, ParameterNames.Description, ParameterNames.TargetBranch, ParameterNames.Sha, ParameterNames.StateEvent];

    [Function("UpdateMergeRequest")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}")] HttpRequestData request,
        string id,
        string merge_request_iid,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, Parameters, cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        call.RequireAnyOf(Parameters);
        var mergeRequest = await mergeRequests.UpdateAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.RecordId(merge_request_iid),
            new(call.OptionalString(ParameterNames.Title), call.OptionalString(ParameterNames.TargetBranch), call.OptionalString(ParameterNames.Sha), call.OptionalEnum(ParameterNames.StateEvent, "close", "reopen"), call.OptionalText(ParameterNames.Description)),
            cancellationToken);
        return await request.OkAsync(mergeRequest, cancellationToken);
    }
}
