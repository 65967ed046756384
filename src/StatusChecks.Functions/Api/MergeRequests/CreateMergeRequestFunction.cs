using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.MergeRequests;

/// <summary>POST /api/v4/projects/:id/merge_requests (Developer): source_branch, target_branch, title, sha (extension: the HEAD commit), description.</summary>
public sealed class CreateMergeRequestFunction(IAuthenticator authenticator, IMergeRequestService mergeRequests)
{
    [Function("CreateMergeRequest")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects/{id}/merge_requests")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.SourceBranch, ParameterNames.TargetBranch, ParameterNames.Title, ParameterNames.Sha, ParameterNames.Description], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var mergeRequest = await mergeRequests.CreateAsync(
            caller,
            RouteValues.Project(id),
            new(call.OptionalString(ParameterNames.SourceBranch), call.OptionalString(ParameterNames.TargetBranch), call.OptionalString(ParameterNames.Title), call.OptionalString(ParameterNames.Sha), call.OptionalText(ParameterNames.Description)),
            cancellationToken);
        return await request.CreatedAsync(mergeRequest, cancellationToken);
    }
}
