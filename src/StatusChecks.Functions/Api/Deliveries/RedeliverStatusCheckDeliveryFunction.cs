using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Deliveries;

/// <summary>
/// POST /api/v4/projects/:id/merge_requests/:merge_request_iid/status_checks/:check_id/deliveries/:delivery_id/redeliver
/// (extension, Maintainer): sends the delivery again as a new attempt; 202.
/// </summary>
public sealed class RedeliverStatusCheckDeliveryFunction(IAuthenticator authenticator, IDeliveryLogService deliveries)
{
    [Function("RedeliverStatusCheckDelivery")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(
            AuthorizationLevel.Anonymous,
            "post",
            Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{check_id}/deliveries/{delivery_id}/redeliver")]
        HttpRequestData request,
        string id,
        string merge_request_iid,
        string check_id,
        string delivery_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await deliveries.RedeliverAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.Id(merge_request_iid, ResourceNames.MergeRequest),
            RouteValues.Id(check_id, ResourceNames.ExternalStatusCheck),
            RouteValues.Id(delivery_id, ResourceNames.Delivery),
            cancellationToken);
        return await request.AcceptedAsync(cancellationToken);
    }
}
