using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IProtectedBranchService
{
    /// <summary>Maintainer.</summary>
    Task<Page<ProtectedBranch>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. Name required (wildcards like <c>release/*</c> allowed); 409 "Protected branch '&lt;name&gt;' already exists".</summary>
    Task<ProtectedBranch> CreateAsync(Caller caller, ProjectRef projectRef, string? name, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. <paramref name="name"/> already URL-decoded (exactly once), matched exactly. RecordNotFound.</summary>
    Task<ProtectedBranch> GetAsync(Caller caller, ProjectRef projectRef, string name, CancellationToken cancellationToken = default);

    /// <summary>Maintainer. <paramref name="name"/> already URL-decoded (exactly once). RecordNotFound.</summary>
    Task DeleteAsync(Caller caller, ProjectRef projectRef, string name, CancellationToken cancellationToken = default);
}

internal sealed class ProtectedBranchService(IProjectAccess access, IProtectedBranchStore branches, IIdGenerator ids, TimeProvider time) : IProtectedBranchService
{
    public async Task<Page<ProtectedBranch>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: false, cancellationToken);
        var rows = await branches.ListAsync(project.Id, page, cancellationToken);
        return new Page<ProtectedBranch>(rows.Items.Select(Shapes.Branch).ToList(), rows.PageNumber, rows.PerPage, rows.Total);
    }

    public async Task<ProtectedBranch> CreateAsync(Caller caller, ProjectRef projectRef, string? name, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        var branchName = Rules.Branch(name, ParameterNames.Name);
        var now = time.GetUtcNow();
        var branch = new ProtectedBranchEntity
        {
            Id = await ids.NextAsync(IdKind.ProtectedBranch, cancellationToken),
            ProjectId = project.Id,
            Name = branchName,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await Optimistic.RetryAsync(async () => { await branches.CreateAsync(branch, cancellationToken); return branch; }, cancellationToken);
        }
        catch (DuplicateKeyException)
        {
            throw new DomainException(new DomainError.Conflict($"Protected branch '{branchName}' already exists"));
        }

        return Shapes.Branch(branch);
    }

    public async Task<ProtectedBranch> GetAsync(Caller caller, ProjectRef projectRef, string name, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: false, cancellationToken);
        var branch = await branches.FindByNameAsync(project.Id, name, cancellationToken) ?? throw Rules.RecordNotFound();
        return Shapes.Branch(branch);
    }

    public async Task DeleteAsync(Caller caller, ProjectRef projectRef, string name, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        await Optimistic.RetryAsync(
            async () =>
            {
                var branch = await branches.FindByNameAsync(project.Id, name, cancellationToken) ?? throw Rules.RecordNotFound();
                await branches.DeleteAsync(branch, cancellationToken);
                return branch;
            },
            cancellationToken);
    }
}
