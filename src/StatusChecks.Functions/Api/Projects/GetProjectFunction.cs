using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api.Projects;

/// <summary>GET /api/v4/projects/:id (Guest), including <c>only_allow_merge_if_all_status_checks_passed</c>.</summary>
public sealed class GetProjectFunction(IAuthenticator authenticator, IProjectService projects)
{
    [Function("GetProject")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var project = await projects.GetAsync(caller, RouteValues.Project(id), cancellationToken);
        return await request.OkAsync(project, cancellationToken);
    }
}
