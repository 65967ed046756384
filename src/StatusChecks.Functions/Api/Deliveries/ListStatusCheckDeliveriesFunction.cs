using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Deliveries;

/// <summary>
/// GET /api/v4/projects/:id/merge_requests/:merge_request_iid/status_checks/:check_id/deliveries (extension, Maintainer):
/// every notification attempt for the check on the MR, newest first, paged.
/// </summary>
public sealed class ListStatusCheckDeliveriesFunction(IAuthenticator authenticator, IDeliveryLogService deliveries)
{
    [Function("ListStatusCheckDeliveries")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v4/projects/{id}/merge_requests/{merge_request_iid}/status_checks/{check_id}/deliveries")]
        HttpRequestData request,
        string id,
        string merge_request_iid,
        string check_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var page = await deliveries.ListAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.Id(merge_request_iid, ResourceNames.MergeRequest),
            RouteValues.Id(check_id, ResourceNames.ExternalStatusCheck),
            call.Page(),
            cancellationToken);
        return await request.PagedAsync(page, cancellationToken);
    }
}
