using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IMemberService
{
    /// <summary>Maintainer.</summary>
    Task<Page<Member>> ListAsync(Caller caller, string projectId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Maintainer (Owner level: admin only). access_level in 10..50; user must exist; 409 "Member already exists".</summary>
    Task<Member> AddAsync(Caller caller, string projectId, NewMember input, CancellationToken cancellationToken = default);

    /// <summary>Maintainer (an Owner: admin only). NotFound("Member") when not a member.</summary>
    Task RemoveAsync(Caller caller, string projectId, long userId, CancellationToken cancellationToken = default);
}

internal sealed class MemberService(IProjectAccess access, IMemberStore members, IUserStore users, Shapes shapes, TimeProvider time) : IMemberService
{
    public async Task<Page<Member>> ListAsync(Caller caller, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: false, cancellationToken);
        var rows = await members.ListAsync(project.Id, page, cancellationToken);
        return new Page<Member>(rows.Items.Select(shapes.Member).ToList(), rows.PageNumber, rows.PerPage, rows.Total);
    }

    public async Task<Member> AddAsync(Caller caller, string projectId, NewMember input, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: true, cancellationToken);
        var userId = Rules.Required(input.UserId, "user_id");
        var level = input.AccessLevel ?? throw Rules.Missing("access_level");
        if (!Enum.IsDefined((AccessLevel)level) || level == (int)AccessLevel.None)
        {
            throw Rules.Invalid("access_level");
        }

        RequireAdminForOwner(caller, level);
        var user = await users.GetAsync(userId, cancellationToken) ?? throw Rules.NotFound("User");
        var member = new MemberEntity
        {
            ProjectId = project.Id,
            UserId = user.Id,
            Username = user.Username,
            Name = user.Name,
            AccessLevel = level,
            CreatedAt = time.GetUtcNow(),
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

    public async Task RemoveAsync(Caller caller, string projectId, long userId, CancellationToken cancellationToken = default)
    {
        var project = await access.RequireAsync(caller, projectId, AccessLevel.Maintainer, write: true, cancellationToken);
        await Optimistic.RetryAsync(
            async () =>
            {
                var member = await members.GetAsync(project.Id, userId, cancellationToken) ?? throw Rules.NotFound("Member");
                RequireAdminForOwner(caller, member.AccessLevel);
                await members.RemoveAsync(member, cancellationToken);
                return member;
            },
            cancellationToken);
    }

    private static void RequireAdminForOwner(Caller caller, int level)
    {
        if (level >= (int)AccessLevel.Owner && !caller.IsAdmin)
        {
            throw new DomainException(new DomainError.Forbidden());
        }
    }
}
