using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

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
        var call = await ApiRequest.ReadAsync(request, ["source_branch", "target_branch", "title", "sha", "description"], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var mergeRequest = await mergeRequests.CreateAsync(
            caller,
            RouteValues.Project(id).ToString(),
            new(call.OptionalString("source_branch"), call.OptionalString("target_branch"), call.OptionalString("title"), call.OptionalString("sha"), call.OptionalText("description")),
            cancellationToken);
        return await request.CreatedAsync(mergeRequest, cancellationToken);
    }
}
