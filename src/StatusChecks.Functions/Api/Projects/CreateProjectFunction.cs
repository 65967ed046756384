using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Projects;

/// <summary>POST /api/v4/projects (admin): name, path (default from the name), namespace (extension, default "root").</summary>
public sealed class CreateProjectFunction(IAuthenticator authenticator, IProjectService projects)
{
    [Function("CreateProject")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.Name, ParameterNames.Path, ParameterNames.Namespace], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var project = await projects.CreateAsync(
            caller,
            new(call.OptionalString(ParameterNames.Name), call.OptionalString(ParameterNames.Path), call.OptionalString(ParameterNames.Namespace)),
            cancellationToken);
        return await request.CreatedAsync(project, cancellationToken);
    }
}
