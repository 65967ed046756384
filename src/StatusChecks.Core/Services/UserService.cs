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
}

internal sealed class UserService(IUserStore users, IIdGenerator ids, Shapes shapes, TimeProvider time) : IUserService
{
    public async Task<User> CreateAsync(Caller caller, NewUser input, CancellationToken cancellationToken = default)
    {
        ProjectAccess.RequireAdmin(caller);
        var user = new UserEntity
        {
            Username = Rules.Username(input.Username),
            Name = Rules.Name(input.Name, "name"),
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
            throw new DomainException(new DomainError.Conflict(e.Field == "email" ? "Email has already been taken" : "Username has already been taken"));
        }

        return shapes.User(user);
    }

    public async Task<PersonalAccessToken> CreateTokenAsync(Caller caller, long userId, NewPersonalAccessToken input, CancellationToken cancellationToken = default)
    {
        ProjectAccess.RequireAdmin(caller);
        var name = Rules.Name(input.Name, "name");
        var scopes = input.Scopes is { Count: > 0 } given ? given.Distinct(StringComparer.Ordinal).ToList() : throw Rules.Missing("scopes");
        if (scopes.Except(TokenScopes.All, StringComparer.Ordinal).Any())
        {
            throw Rules.Invalid("scopes");
        }

        var now = time.GetUtcNow();
        if (input.ExpiresAt is { } expiresAt && expiresAt < DateOnly.FromDateTime(now.UtcDateTime))
        {
            throw Rules.Validation("expires_at", "must not be in the past");
        }

        _ = await users.GetAsync(userId, cancellationToken) ?? throw Rules.NotFound("User");
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
}
