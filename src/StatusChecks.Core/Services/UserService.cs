using System.Globalization;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IUserService
{
    /// <summary>Admin only. Username, name, email required; username and email unique (409, as GitLab).</summary>
    Task<User> CreateAsync(Caller caller, NewUser input, CancellationToken cancellationToken = default);

    /// <summary>Admin only. The plaintext token is in the result and nowhere else, ever.</summary>
    Task<PersonalAccessToken> CreateTokenAsync(Caller caller, long userId, NewPersonalAccessToken input, CancellationToken cancellationToken = default);

    /// <summary>Any token: the token's own user (the administrator too, with <c>is_admin</c>).</summary>
    Task<UserAccount> GetCurrentAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Any token. NotFound(ResourceNames.User).</summary>
    Task<UserProfile> GetAsync(Caller caller, long userId, CancellationToken cancellationToken = default);
}

internal sealed class UserService(IUserStore users, IIdGenerator ids, Shapes shapes, TimeProvider time) : IUserService
{
    public async Task<User> CreateAsync(Caller caller, NewUser input, CancellationToken cancellationToken = default)
    {
        ProjectAccess.RequireAdmin(caller);
        var username = Rules.Username(input.Username);
        if (string.Equals(username, Administrator.Username, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException(new DomainError.Conflict("Username has already been taken"));
        }

        var user = new UserEntity
        {
            Username = username,
            Name = Rules.Name(input.Name, ParameterNames.Name),
            Email = Rules.Email(input.Email),
            CreatedAt = time.GetUtcNow(),
        };
        user.Id = await ids.NextAsync(IdKind.User, cancellationToken);
        try
        {
            await users.CreateAsync(user, cancellationToken);
        }
        catch (DuplicateKeyException e)
        {
            throw new DomainException(new DomainError.Conflict(e.Field == ParameterNames.Email ? "Email has already been taken" : "Username has already been taken"));
        }

        return shapes.User(user);
    }

    public async Task<PersonalAccessToken> CreateTokenAsync(Caller caller, long userId, NewPersonalAccessToken input, CancellationToken cancellationToken = default)
    {
        ProjectAccess.RequireAdmin(caller);
        var name = Rules.Name(input.Name, ParameterNames.Name);
        var scopes = input.Scopes is { Count: > 0 } given ? given.Distinct(StringComparer.Ordinal).ToList() : throw Rules.Missing(ParameterNames.Scopes);
        if (scopes.Except(TokenScopes.All, StringComparer.Ordinal).Any())
        {
            throw Rules.Invalid(ParameterNames.Scopes);
        }

        var now = time.GetUtcNow();
        if (input.ExpiresAt is { } expiresAt && expiresAt < DateOnly.FromDateTime(now.UtcDateTime))
        {
            throw Rules.Validation(ParameterNames.ExpiresAt, "must not be in the past");
        }

        _ = await users.GetAsync(userId, cancellationToken) ?? throw Rules.NotFound(ResourceNames.User);
        var token = TokenHasher.NewToken();
        var stored = new TokenEntity
        {
            Id = await ids.NextAsync(IdKind.Token, cancellationToken),
            UserId = userId,
            Name = name,
            Scopes = string.Join(' ', scopes),
            ExpiresAt = input.ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CreatedAt = now,
        };
        await users.CreateTokenAsync(TokenHasher.Hash(token), stored, cancellationToken);
        return new PersonalAccessToken(stored.Id, name, Revoked: false, now, scopes, userId, LastUsedAt: null, Active: true, input.ExpiresAt, token);
    }

    public async Task<UserAccount> GetCurrentAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var user = caller.IsAdmin
            ? await AdministratorAsync(cancellationToken)
            : await users.GetAsync(caller.UserId ?? 0, cancellationToken) ?? throw new DomainException(new DomainError.Unauthorized());
        return shapes.Account(user, caller.IsAdmin);
    }

    public async Task<UserProfile> GetAsync(Caller caller, long userId, CancellationToken cancellationToken = default)
    {
        var user = userId switch
        {
            Administrator.UserId => await users.GetAsync(userId, cancellationToken) ?? await AdministratorAsync(cancellationToken),
            _ => await users.GetAsync(userId, cancellationToken),
        };
        return user is null ? throw Rules.NotFound(ResourceNames.User) : shapes.Profile(user);
    }

    /// <summary>
    /// The administrator's row, written the first time anyone asks for it, so its created_at never changes after.
    /// A store from before the administrator had an id may hold another user at id 1: then the administrator is
    /// described without a row.
    /// </summary>
    private async Task<UserEntity> AdministratorAsync(CancellationToken cancellationToken)
    {
        var stored = await users.GetAsync(Administrator.UserId, cancellationToken);
        var administrator = new UserEntity
        {
            Id = Administrator.UserId,
            Username = Administrator.Username,
            Name = Administrator.Name,
            CreatedAt = stored?.CreatedAt ?? time.GetUtcNow(),
            IsAdmin = true,
        };
        return stored switch
        {
            { IsAdmin: true } => stored,
            null => await users.GetOrAddAsync(administrator, cancellationToken),
            _ => administrator,
        };
    }
}
