namespace StatusChecks.Core.Domain;

/// <summary>GitLab access levels of a project member.</summary>
public enum AccessLevel
{
    None = 0,
    Guest = 10,
    Reporter = 20,
    Developer = 30,
    Maintainer = 40,
    Owner = 50,
}

/// <summary>Personal access token scopes this service knows.</summary>
public static class TokenScopes
{
    public const string Api = "api";
    public const string ReadApi = "read_api";

    public static IReadOnlyList<string> All { get; } = [Api, ReadApi];
}

/// <summary>
/// Who makes a request: the instance administrator (admin token, no user row) or a user through a personal
/// access token with its scopes.
/// </summary>
public sealed record Caller(long? UserId, bool IsAdmin, IReadOnlyList<string> Scopes)
{
    /// <summary>
    /// The administrator's user id wherever a user id is shown (notifications, the admin as a user): 1, as GitLab's
    /// root user. User ids are allocated from 2 (see <c>BlockIdGenerator</c>), so no user row ever takes it.
    /// </summary>
    public const long AdministratorId = 1;

    public static Caller Admin { get; } = new(null, true, [TokenScopes.Api]);

    public static Caller User(long userId, IReadOnlyList<string> scopes) => new(userId, false, scopes);

    /// <summary>Only the <c>api</c> scope allows requests other than GET.</summary>
    public bool CanWrite => IsAdmin || Scopes.Contains(TokenScopes.Api);

    /// <summary>Who did it, as the audit log and notifications record it.</summary>
    public string Actor => IsAdmin ? "admin" : $"user:{UserId}";
}
