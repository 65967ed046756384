using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IProjectService
{
    /// <summary>Admin only. Name required; path defaults to the name parameterized; path unique (400 path taken).</summary>
    Task<Project> CreateAsync(Caller caller, NewProject input, CancellationToken cancellationToken = default);

    /// <summary>Guest.</summary>
    Task<Project> GetAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default);

    /// <summary>Maintainer.</summary>
    Task<Project> UpdateAsync(Caller caller, ProjectRef projectRef, ProjectChanges changes, CancellationToken cancellationToken = default);
}

internal sealed class ProjectService(IProjectAccess access, IProjectStore projects, IIdGenerator ids, Shapes shapes, TimeProvider time) : IProjectService
{
    public async Task<Project> CreateAsync(Caller caller, NewProject input, CancellationToken cancellationToken = default)
    {
        ProjectAccess.RequireAdmin(caller);
        var name = Rules.Name(input.Name, ParameterNames.Name);
        var path = Rules.Path(input.Path ?? Rules.DerivePath(name));
        var ns = Rules.Namespace(input.Namespace);
        var now = time.GetUtcNow();
        var project = new ProjectEntity
        {
            Id = await ids.NextAsync(IdKind.Project, cancellationToken),
            Name = name,
            Path = path,
            Namespace = ns,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await projects.CreateAsync(project, cancellationToken);
        }
        catch (DuplicateKeyException)
        {
            throw Rules.Validation(ParameterNames.Path, Rules.Taken);
        }

        return shapes.Project(project);
    }

    public async Task<Project> GetAsync(Caller caller, ProjectRef projectRef, CancellationToken cancellationToken = default) =>
        shapes.Project(await access.RequireAsync(caller, projectRef, AccessLevel.Guest, write: false, cancellationToken));

    public async Task<Project> UpdateAsync(Caller caller, ProjectRef projectRef, ProjectChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        if (changes.OnlyAllowMergeIfAllStatusChecksPassed is not { } onlyAllow)
        {
            return shapes.Project(project);
        }

        var updated = await Optimistic.RetryAsync(
            async () =>
            {
                var current = await projects.GetAsync(project.Id, cancellationToken) ?? throw Rules.NotFound(ResourceNames.Project);
                return await projects.UpdateAsync(current with { OnlyAllowMergeIfAllStatusChecksPassed = onlyAllow, UpdatedAt = time.GetUtcNow() }, cancellationToken);
            },
            cancellationToken);
        return shapes.Project(updated);
    }
}
