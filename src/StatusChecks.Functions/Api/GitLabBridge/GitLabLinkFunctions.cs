using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Services;
using StatusChecks.Functions.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Api.GitLabBridge;

/// <summary>
/// (extension, docs/API.md (The GitLab bridge)) PUT/GET/DELETE /api/v4/projects/:id/gitlab_link (Maintainer) and GET
/// .../gitlab_link/deliveries: link the project to a GitLab project (url, project id, an <c>api</c> token, the webhook
/// token), read it (never a token), remove it, and read the log of commit statuses posted to GitLab.
/// </summary>
public sealed class GitLabLinkFunctions(IAuthenticator authenticator, IGitLabLinkService links)
{
    private const string Route = "v4/projects/{id}/gitlab_link";

    [Function("PutGitLabLink")]
    public async Task<HttpResponseData> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route)] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [ParameterNames.GitLabUrl, ParameterNames.GitLabProjectId, ParameterNames.AccessToken, ParameterNames.WebhookToken, ParameterNames.StatusName, ParameterNames.PerCheck], cancellationToken);
        // Here access_token is the GitLab token being stored, not the caller's OAuth token: the caller's comes from
        // private_token, PRIVATE-TOKEN or Authorization: Bearer.
        var callerToken = call.Has(ParameterNames.AccessToken)
            ? AccessToken.Find(request.Headers, call.OptionalString(ParameterNames.PrivateToken), accessTokenParameter: null)
            : call.Token;
        var caller = await authenticator.AuthenticateAsync(callerToken, cancellationToken);
        var input = new GitLabLinkInput(
            call.OptionalString(ParameterNames.GitLabUrl),
            call.OptionalLong(ParameterNames.GitLabProjectId),
            call.OptionalString(ParameterNames.AccessToken),
            call.OptionalString(ParameterNames.WebhookToken),
            call.OptionalString(ParameterNames.StatusName),
            call.OptionalBool(ParameterNames.PerCheck));
        var (link, created) = await links.PutAsync(caller, RouteValues.Project(id), input, cancellationToken);
        return await request.CreateJsonResponseAsync(created ? HttpStatusCode.Created : HttpStatusCode.OK, link, cancellationToken);
    }

    [Function("GetGitLabLink")]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        return await request.OkAsync(await links.GetAsync(caller, RouteValues.Project(id), cancellationToken), cancellationToken);
    }

    [Function("DeleteGitLabLink")]
    public async Task<HttpResponseData> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route)] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        await links.DeleteAsync(caller, RouteValues.Project(id), cancellationToken);
        return request.NoContent();
    }

    [Function("ListGitLabLinkDeliveries")]
    public async Task<HttpResponseData> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/deliveries")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        var call = await ApiRequest.ReadListAsync(request, [], cancellationToken);
        var caller = await authenticator.AuthenticateAsync(call.Token, cancellationToken);
        var page = await links.ListDeliveriesAsync(caller, RouteValues.Project(id), call.Page(), cancellationToken);
        return await request.PagedAsync(page, cancellationToken);
    }
}
