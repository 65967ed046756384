using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Projects;

/// <summary>PUT /api/v4/projects/:id (Maintainer): <c>only_allow_merge_if_all_status_checks_passed</c>, the one setting kept here.</summary>
public sealed class UpdateProjectFunction(IAuthenticator authenticator, IProjectService projects)
{
    [Function("UpdateProject")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v4/projects/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.OnlyAllowMergeIfAllStatusChecksPassed], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        call.RequireAnyOf(ParameterNames.OnlyAllowMergeIfAllStatusChecksPassed);
        var project = await projects.UpdateAsync(caller, RouteValues.Project(id), new(call.OptionalBool(ParameterNames.OnlyAllowMergeIfAllStatusChecksPassed)), cancellationToken);
        return await request.OkAsync(project, cancellationToken);
    }
}
