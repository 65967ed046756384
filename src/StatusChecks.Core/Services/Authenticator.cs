using System.Globalization;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Services;

public interface IAuthenticator
{
    /// <summary>
    /// The caller behind a token (from PRIVATE-TOKEN, Authorization: Bearer or private_token): the administrator
    /// (StatusChecks:AdminToken) or a user's personal access token. Throws Unauthorized when the token is missing,
    /// unknown, revoked or expired.
    /// </summary>
    Task<Caller> AuthenticateAsync(string? token, CancellationToken cancellationToken = default);
}

internal sealed class Authenticator(IUserStore users, IOptions<StatusChecksOptions> options, TimeProvider time, AccessCache cache) : IAuthenticator
{
    public async Task<Caller> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw Unauthorized();
        }

        if (options.Value.AdminToken is { Length: > 0 } adminToken && TokenHasher.FixedTimeEquals(token, adminToken))
        {
            return Caller.Admin;
        }

        var hash = TokenHasher.Hash(token);
        // Revocation and expiry are checked on the row as read, so a cached token still expires on time.
        var stored = await cache.TokenAsync(hash, () => users.FindTokenAsync(hash, cancellationToken));
        if (stored is null || stored.Revoked || IsExpired(stored))
        {
            throw Unauthorized();
        }

        return Caller.User(stored.UserId, stored.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    // GitLab: a token is valid through its expiry date (UTC) and expires when that day ends.
    private bool IsExpired(TokenEntity token) =>
        token.ExpiresAt is { } expiresAt
        && DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) > DateOnly.ParseExact(expiresAt, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DomainException Unauthorized() => new(new DomainError.Unauthorized());
}
