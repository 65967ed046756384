using System.Globalization;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>Resolves a project reference and checks the caller's role on it (object-level authorisation).</summary>
internal interface IProjectAccess
{
    /// <summary>
    /// <paramref name="projectRef"/> is a numeric id or a <c>namespace/path</c> (case-insensitive), as parsed at the edge.
    /// Throws Forbidden for a read-only token on a write, NotFound(ResourceNames.Project) when the caller may not see the project,
    /// Forbidden when the caller's role is below <paramref name="required"/>.
    /// </summary>
    Task<ProjectEntity> RequireAsync(Caller caller, ProjectRef projectRef, AccessLevel required, bool write, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="RequireAsync"/> with Guest required, returning the caller's role too, for routes whose answer or
    /// error depends on the role after other lookups (GitLab's order): one membership read for both.
    /// </summary>
    Task<ProjectRole> ResolveAsync(Caller caller, ProjectRef projectRef, bool write, CancellationToken cancellationToken);
}

/// <summary>A project the caller can see, and the caller's role on it (the administrator has every role).</summary>
internal sealed record ProjectRole(ProjectEntity Project, AccessLevel Level, bool IsAdmin)
{
    public bool Has(AccessLevel required) => IsAdmin || Level >= required;
}

internal sealed class ProjectAccess(IProjectStore projects, IMemberStore members, TimeProvider time, AccessCache cache) : IProjectAccess
{
    public async Task<ProjectEntity> RequireAsync(Caller caller, ProjectRef projectRef, AccessLevel required, bool write, CancellationToken cancellationToken)
    {
        var role = await ResolveAsync(caller, projectRef, write, cancellationToken);
        return role.Has(required) ? role.Project : throw new DomainException(new DomainError.Forbidden());
    }

    public async Task<ProjectRole> ResolveAsync(Caller caller, ProjectRef projectRef, bool write, CancellationToken cancellationToken)
    {
        RequireWriteScope(caller, write);
        var project = await FindAsync(projectRef, cancellationToken) ?? throw Rules.NotFound(ResourceNames.Project);
        if (caller.IsAdmin)
        {
            return new ProjectRole(project, AccessLevel.Owner, IsAdmin: true);
        }

        // Non-members get the same 404 as for a missing project, so existence never leaks.
        var member = caller.UserId is { } userId
            ? await cache.MemberAsync(project.Id, userId, () => members.GetAsync(project.Id, userId, cancellationToken))
            : null;
        return member is null || IsExpired(member)
            ? throw Rules.NotFound(ResourceNames.Project)
            : new ProjectRole(project, (AccessLevel)member.AccessLevel, IsAdmin: false);
    }

    /// <summary>GitLab removes a membership on its expiry date (its <c>expired</c> scope is <c>expires_at &lt;= today</c>).</summary>
    private bool IsExpired(MemberEntity member) =>
        member.ExpiresAt is { } expiresAt
        && DateOnly.ParseExact(expiresAt, "yyyy-MM-dd", CultureInfo.InvariantCulture) <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static void RequireWriteScope(Caller caller, bool write)
    {
        if (write && !caller.CanWrite)
        {
            throw new DomainException(new DomainError.Forbidden());
        }
    }

    public static void RequireAdmin(Caller caller)
    {
        RequireWriteScope(caller, write: true);
        if (!caller.IsAdmin)
        {
            throw new DomainException(new DomainError.Forbidden());
        }
    }

    private async Task<ProjectEntity?> FindAsync(ProjectRef projectRef, CancellationToken cancellationToken) => projectRef switch
    {
        { Id: { } id } => await cache.ProjectAsync(id, () => projects.GetAsync(id, cancellationToken)),
        { Path: { } path } when Rules.IsPathWithNamespace(path) =>
            await cache.ProjectByPathAsync(path.ToLowerInvariant(), () => projects.FindByPathAsync(path, cancellationToken)),
        _ => null, // a path no project can have: no lookup
    };
}
