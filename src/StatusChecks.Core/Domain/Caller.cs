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
/// The instance administrator (the admin token) as a user, as GitLab's <c>root</c>: id 1, which the service never
/// allocates to another user (user ids start at 2), and username <c>root</c>, which no other user may take.
/// </summary>
public static class Administrator
{
    public const long UserId = 1;
    public const string Username = "root";
    public const string Name = "Administrator";
}

/// <summary>
/// Who makes a request: the instance administrator (admin token, user id <see cref="Administrator.UserId"/>) or a
/// user through a personal access token with its scopes.
/// </summary>
public sealed record Caller(long? UserId, bool IsAdmin, IReadOnlyList<string> Scopes)
{
    public static Caller Admin { get; } = new(Administrator.UserId, true, [TokenScopes.Api]);

    public static Caller User(long userId, IReadOnlyList<string> scopes) => new(userId, false, scopes);

    /// <summary>Only the <c>api</c> scope allows requests other than GET.</summary>
    public bool CanWrite => IsAdmin || Scopes.Contains(TokenScopes.Api);

    /// <summary>Who did it, as the audit log and notifications record it.</summary>
    public string Actor => IsAdmin ? "admin" : $"user:{UserId}";
}
