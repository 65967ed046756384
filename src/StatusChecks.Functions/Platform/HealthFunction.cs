using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Storage;
using StatusChecks.Functions.Http;

namespace StatusChecks.Functions.Platform;

/// <summary>GET /api/health (extension, anonymous): 200 when Table and Queue storage answer, 503 otherwise.</summary>
public sealed class HealthFunction(IStorageHealthProbe probe)
{
    [Function("Health")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var health = await probe.CheckAsync(cancellationToken);
        return await request.CreateJsonResponseAsync(
            health.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            new
            {
                Status = health.Healthy ? "ok" : "unavailable",
                Storage = new { Tables = Describe(health.Tables), Queues = Describe(health.Queues) },
            },
            cancellationToken);
    }

    private static string Describe(bool reachable) => reachable ? "ok" : "unreachable";
}
