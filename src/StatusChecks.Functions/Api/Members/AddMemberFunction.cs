using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.Members;

/// <summary>POST /api/v4/projects/:id/members (Maintainer; Owner level only by the admin): user_id, access_level, expires_at (optional date).</summary>
public sealed class AddMemberFunction(IAuthenticator authenticator, IMemberService members)
{
    [Function("AddMember")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v4/projects/{id}/members")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.UserId, ParameterNames.AccessLevel, ParameterNames.ExpiresAt], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var member = await members.AddAsync(
            caller,
            RouteValues.Project(id),
            new(call.OptionalLong(ParameterNames.UserId), call.OptionalInt(ParameterNames.AccessLevel, int.MinValue, int.MaxValue), call.OptionalDate(ParameterNames.ExpiresAt)),
            cancellationToken);
        return await request.CreatedAsync(member, cancellationToken);
    }
}
