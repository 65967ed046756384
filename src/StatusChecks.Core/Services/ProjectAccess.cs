using System.Globalization;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

/// <summary>Resolves a project reference and checks the caller's role on it (object-level authorisation).</summary>
internal interface IProjectAccess
{
    /// <summary>
    /// <paramref name="projectRef"/> is a numeric id or a (URL-encoded or decoded) <c>namespace/path</c>, case-insensitive.
    /// Throws Forbidden for a read-only token on a write, NotFound("Project") when the caller may not see the project,
    /// Forbidden when the caller's role is below <paramref name="required"/>.
    /// </summary>
    Task<ProjectEntity> RequireAsync(Caller caller, string projectRef, AccessLevel required, bool write, CancellationToken cancellationToken);

    /// <summary>True when the caller is the admin or a member of <paramref name="project"/> at <paramref name="required"/> or above.</summary>
    Task<bool> HasRoleAsync(Caller caller, ProjectEntity project, AccessLevel required, CancellationToken cancellationToken);
}

internal sealed class ProjectAccess(IProjectStore projects, IMemberStore members, TimeProvider time) : IProjectAccess
{
    public async Task<ProjectEntity> RequireAsync(Caller caller, string projectRef, AccessLevel required, bool write, CancellationToken cancellationToken)
    {
        RequireWriteScope(caller, write);
        var project = await FindAsync(projectRef, cancellationToken) ?? throw Rules.NotFound("Project");
        if (caller.IsAdmin)
        {
            return project;
        }

        // Non-members get the same 404 as for a missing project, so existence never leaks.
        var member = caller.UserId is { } userId ? await members.GetAsync(project.Id, userId, cancellationToken) : null;
        if (member is null || IsExpired(member))
        {
            throw Rules.NotFound("Project");
        }

        return member.AccessLevel >= (int)required ? project : throw new DomainException(new DomainError.Forbidden());
    }

    public async Task<bool> HasRoleAsync(Caller caller, ProjectEntity project, AccessLevel required, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return true;
        }

        var member = caller.UserId is { } userId ? await members.GetAsync(project.Id, userId, cancellationToken) : null;
        return member is not null && !IsExpired(member) && member.AccessLevel >= (int)required;
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

    private async Task<ProjectEntity?> FindAsync(string projectRef, CancellationToken cancellationToken)
    {
        if (long.TryParse(projectRef, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id > 0 ? await projects.GetAsync(id, cancellationToken) : null;
        }

        var path = projectRef.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(projectRef) : projectRef;
        return Rules.IsPathWithNamespace(path) ? await projects.FindByPathAsync(path, cancellationToken) : null;
    }
}
