using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Api;

/// <summary>GET /api/v4/version (any token): <c>{"version": "0.1.0", "revision": "&lt;commit&gt;"}</c> of this build.</summary>
public sealed class GetVersionFunction(IAuthenticator authenticator)
{
    [Function("GetVersion")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/version")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        return await request.OkAsync(new { BuildInfo.Version, BuildInfo.Revision }, cancellationToken);
    }
}
