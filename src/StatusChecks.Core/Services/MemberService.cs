using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IMemberService
{
    /// <summary>Maintainer.</summary>
    Task<Page<Member>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Guest. RecordNotFound when not a member.</summary>
    Task<Member> GetAsync(Caller caller, ProjectRef projectRef, long userId, CancellationToken cancellationToken = default);

    /// <summary>Maintainer (Owner level: admin only). access_level in 10..50; user must exist; 409 "Member already exists".</summary>
    Task<Member> AddAsync(Caller caller, ProjectRef projectRef, NewMember input, CancellationToken cancellationToken = default);

    /// <summary>
    /// Maintainer; making or changing an Owner: admin only, as for add and remove. access_level required, expires_at
    /// optional (absent: unchanged). RecordNotFound when not a member.
    /// </summary>
    Task<Member> UpdateAsync(Caller caller, ProjectRef projectRef, long userId, MemberChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Maintainer (an Owner: admin only). RecordNotFound when not a member.</summary>
    Task RemoveAsync(Caller caller, ProjectRef projectRef, long userId, CancellationToken cancellationToken = default);
}

internal sealed class MemberService(IProjectAccess access, IMemberStore members, IUserStore users, Shapes shapes, TimeProvider time) : IMemberService
{
    public async Task<Page<Member>> ListAsync(Caller caller, ProjectRef projectRef, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: false, cancellationToken);
        var rows = await members.ListAsync(project.Id, page, cancellationToken);
        return new Page<Member>(rows.Items.Select(shapes.Member).ToList(), rows.PageNumber, rows.PerPage, rows.Total);
    }

    public async Task<Member> GetAsync(Caller caller, ProjectRef projectRef, long userId, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Guest, write: false, cancellationToken);
        var member = await members.GetAsync(project.Id, userId, cancellationToken) ?? throw Rules.RecordNotFound();
        return shapes.Member(member);
    }

    public async Task<Member> AddAsync(Caller caller, ProjectRef projectRef, NewMember input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        var userId = Rules.Required(input.UserId, ParameterNames.UserId);
        var level = Level(input.AccessLevel);
        var expiresAt = ExpiresAt(input.ExpiresAt);
        RequireAdminForOwner(caller, level);
        var user = await users.GetAsync(userId, cancellationToken) ?? throw Rules.NotFound(ResourceNames.User);
        var member = new MemberEntity
        {
            ProjectId = project.Id,
            UserId = user.Id,
            Username = user.Username,
            Name = user.Name,
            AccessLevel = level,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = Shapes.Date(expiresAt),
        };
        try
        {
            await Optimistic.RetryAsync(async () => { await members.AddAsync(member, cancellationToken); return member; }, cancellationToken);
        }
        catch (DuplicateKeyException)
        {
            throw new DomainException(new DomainError.Conflict("Member already exists"));
        }

        return shapes.Member(member);
    }

    public async Task<Member> UpdateAsync(Caller caller, ProjectRef projectRef, long userId, MemberChanges changes, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        var level = Level(changes.AccessLevel);
        var expiresAt = ExpiresAt(changes.ExpiresAt);
        RequireAdminForOwner(caller, level);
        var updated = await Optimistic.RetryAsync(
            async () =>
            {
                var member = await members.GetAsync(project.Id, userId, cancellationToken) ?? throw Rules.RecordNotFound();
                RequireAdminForOwner(caller, member.AccessLevel);
                return await members.UpdateAsync(
                    member with { AccessLevel = level, ExpiresAt = expiresAt is null ? member.ExpiresAt : Shapes.Date(expiresAt) }, cancellationToken);
            },
            cancellationToken);
        return shapes.Member(updated);
    }

    public async Task RemoveAsync(Caller caller, ProjectRef projectRef, long userId, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectRef, AccessLevel.Maintainer, write: true, cancellationToken);
        await Optimistic.RetryAsync(
            async () =>
            {
                var member = await members.GetAsync(project.Id, userId, cancellationToken) ?? throw Rules.RecordNotFound();
                RequireAdminForOwner(caller, member.AccessLevel);
                await members.RemoveAsync(member, cancellationToken);
                return member;
            },
            cancellationToken);
    }

    /// <summary>A GitLab access level, 10..50.</summary>
    private static int Level(int? level) =>
        level is not { } value ? throw Rules.Missing(ParameterNames.AccessLevel)
        : Enum.IsDefined((AccessLevel)value) && value != (int)AccessLevel.None ? value
        : throw Rules.Invalid(ParameterNames.AccessLevel);

    /// <summary>GitLab's member validation: an expiry date may not be in the past.</summary>
    private DateOnly? ExpiresAt(DateOnly? expiresAt) =>
        expiresAt is { } date && date < DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)
            ? throw Rules.Validation(ParameterNames.ExpiresAt, "cannot be a date in the past")
            : expiresAt;

    private static void RequireAdminForOwner(Caller caller, int level)
    {
        if (level >= (int)AccessLevel.Owner && !caller.IsAdmin)
        {
            throw new DomainException(new DomainError.Forbidden());
        }
    }
}
