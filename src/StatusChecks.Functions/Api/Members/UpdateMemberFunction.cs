using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Members;

/// <summary>
/// PUT /api/v4/projects/:id/members/:user_id (Maintainer; making or changing an Owner only by the admin): access_level
/// (required), expires_at (optional date); 404 Not found for a non-member.
/// </summary>
public sealed class UpdateMemberFunction(IAuthenticator authenticator, IMemberService members)
{
    [Function("UpdateMember")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v4/projects/{id}/members/{user_id}")] HttpRequestData request,
        string id,
        string user_id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.AccessLevel, ParameterNames.ExpiresAt], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var member = await members.UpdateAsync(
            caller,
            RouteValues.Project(id),
            RouteValues.RecordId(user_id),
            new(call.OptionalInt(ParameterNames.AccessLevel, int.MinValue, int.MaxValue), call.OptionalDate(ParameterNames.ExpiresAt)),
            cancellationToken);
        return await request.OkAsync(member, cancellationToken);
    }
}
