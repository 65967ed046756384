using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Notifications;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Bridge;

/// <summary>(extension, docs/API.md (The GitLab bridge)) <c>/projects/:id/gitlab_link</c>: Maintainer on every route.</summary>
public interface IGitLabLinkService
{
    /// <summary>
    /// Creates (Created = true) or changes the link. On create <c>gitlab_url</c>, <c>gitlab_project_id</c> and
    /// <c>access_token</c> are required and <c>webhook_token</c> is generated when not given; on change, given fields
    /// replace. The webhook token is in the answer only when generated or given now.
    /// </summary>
    Task<(GitLabLink Link, bool Created)> PutAsync(Caller caller, ProjectRef projectRef, GitLabLinkInput input, CancellationToken cancellationToken = default);

    /// <summary>NotFound(ResourceNames.GitLabLink) when the project has none.</summary>
    Task<GitLabLink> GetAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default);

    /// <summary>NotFound(ResourceNames.GitLabLink) when the project has none. The MRs mirrored so far stay.</summary>
    Task DeleteAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default);

    /// <summary>Every attempt to post a commit status to GitLab, newest first. NotFound(ResourceNames.GitLabLink) without a link.</summary>
    Task<Page<CommitStatusDelivery>> ListDeliveriesAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default);
}

internal sealed class GitLabLinkService(
    IProjectAccess access,
    IProjectStore projects,
    IGitLabBridgeStore store,
    ISecretProtector secrets,
    TimeProvider time,
    IOptions<StatusChecksOptions> options,
    IOptions<NotificationOptions> notifications) : IGitLabLinkService
{
    public const string DefaultStatusName = "external-status-checks";
    public async Task<(GitLabLink Link, bool Created)> PutAsync(Caller caller, ProjectRef projectRef, GitLabLinkInput input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        var existing = await store.GetLinkAsync(project.Id, cancellationToken);
        var url = input.GitlabUrl is null ? null : GitLabUrl(input.GitlabUrl);
        var accessToken = input.AccessToken is null ? null : Token(input.AccessToken, ParameterNames.AccessToken);
        var webhookToken = input.WebhookToken is null ? null : Token(input.WebhookToken, ParameterNames.WebhookToken);
        var statusName = input.StatusName is null ? null : Rules.Name(input.StatusName, ParameterNames.StatusName);
        if (existing is null)
        {
            Rules.Required(input.GitlabUrl, ParameterNames.GitLabUrl);
            Rules.Required(input.GitlabProjectId, ParameterNames.GitLabProjectId);
            Rules.Required(input.AccessToken, ParameterNames.AccessToken);
            webhookToken ??= "glwht-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        }

        var now = time.GetUtcNow();
        var link = (existing ?? new GitLabLinkEntity { ProjectId = project.Id, CreatedAt = now, StatusName = DefaultStatusName }) with
        {
            GitLabUrl = url ?? existing!.GitLabUrl,
            GitLabProjectId = input.GitlabProjectId ?? existing!.GitLabProjectId,
            ProtectedAccessToken = accessToken is null ? existing!.ProtectedAccessToken : secrets.Protect(accessToken),
            WebhookTokenHash = webhookToken is null ? existing!.WebhookTokenHash : TokenHasher.Hash(webhookToken),
            StatusName = statusName ?? existing?.StatusName ?? DefaultStatusName,
            PerCheck = input.PerCheck ?? existing?.PerCheck ?? false,
            UpdatedAt = now,
        };
        var saved = await Optimistic.RetryAsync(() => store.SaveLinkAsync(link, existing, cancellationToken), cancellationToken);
        await SetLinkedAsync(project, linked: true, cancellationToken);
        return (Shape(saved, webhookToken), existing is null);
    }

    public async Task<GitLabLink> GetAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: false, cancellationToken);
        return Shape(await RequireLinkAsync(project.Id, cancellationToken), webhookToken: null);
    }

    public async Task DeleteAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        await Optimistic.RetryAsync(
            async () =>
            {
                await store.DeleteLinkAsync(await RequireLinkAsync(project.Id, cancellationToken), cancellationToken);
                return true;
            },
            cancellationToken);
        await SetLinkedAsync(project, linked: false, cancellationToken);
    }

    public async Task<Page<CommitStatusDelivery>> ListDeliveriesAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: false, cancellationToken);
        await RequireLinkAsync(project.Id, cancellationToken);
        var attempts = await store.ListAttemptsAsync(project.Id, page, cancellationToken);
        return new Page<CommitStatusDelivery>(
            attempts.Items.Select(a => new CommitStatusDelivery(a.Iid, a.Sha, a.Name, a.State, a.Version, a.Attempt, a.Trigger, a.Status, a.ResponseCode, a.DurationMs, a.Error, a.At)).ToList(),
            attempts.PageNumber,
            attempts.PerPage,
            attempts.Total);
    }

    /// <summary>An absolute http(s) URL without user info, query or fragment; plain http only where private networks are allowed (development, tests).</summary>
    internal static string GitLabUrl(string value, bool allowHttp)
    {
        var text = value.Trim();
        return text.Length <= Rules.MaxUrlLength
               && Uri.TryCreate(text, UriKind.Absolute, out var uri)
               && (uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp))
               && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0
               && !text.Any(char.IsControl)
            ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : throw Rules.Invalid(ParameterNames.GitLabUrl);
    }

    private string GitLabUrl(string value) => GitLabUrl(value, notifications.Value.AllowPrivateNetworks);

    private static string Token(string value, string parameter) =>
        string.IsNullOrWhiteSpace(value) || value.Length > Rules.MaxNameLength || value.Any(char.IsControl) ? throw Rules.Invalid(parameter) : value;

    private async Task<GitLabLinkEntity> RequireLinkAsync(long projectId, CancellationToken cancellationToken) =>
        await store.GetLinkAsync(projectId, cancellationToken) ?? throw Rules.NotFound(ResourceNames.GitLabLink);

    /// <summary>The project's flag, which the MR routes and the report hooks read for free (the project is read anyway).</summary>
    private async Task SetLinkedAsync(ProjectEntity project, bool linked, CancellationToken cancellationToken) =>
        await Optimistic.RetryAsync(
            async () =>
            {
                var current = await projects.GetAsync(project.Id, cancellationToken) ?? throw Rules.NotFound(ResourceNames.Project);
                return current.GitLabLinked == linked ? current : await projects.UpdateAsync(current with { GitLabLinked = linked }, cancellationToken);
            },
            cancellationToken);

    private GitLabLink Shape(GitLabLinkEntity link, string? webhookToken) => new(
        link.ProjectId,
        link.GitLabUrl,
        link.GitLabProjectId,
        link.StatusName,
        link.PerCheck,
        options.Value.WebBaseUrl.AbsoluteUri.TrimEnd('/') + "/api/webhooks/gitlab",
        webhookToken,
        link.CreatedAt,
        link.UpdatedAt);
}
