using System.Text.Json.Serialization;

namespace StatusChecks.Core.Domain;

// The response shapes. Property names serialise (snake_case_lower) to exactly GitLab's field names; times
// are UTC and the HTTP layer formats them with milliseconds.

public sealed record Project(
    long Id,
    string Name,
    string Path,
    string PathWithNamespace,
    DateTimeOffset CreatedAt,
    string WebUrl,
    bool OnlyAllowMergeIfAllStatusChecksPassed);

public sealed record ProtectedBranch(
    long Id,
    long ProjectId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool CodeOwnerApprovalRequired);

public sealed record ExternalStatusCheck(
    long Id,
    string Name,
    long ProjectId,
    string ExternalUrl,
    bool Hmac,
    IReadOnlyList<ProtectedBranch> ProtectedBranches);

/// <summary>A check as listed for a merge request; <see cref="Status"/> is <c>passed</c>, <c>failed</c> or <c>pending</c>.</summary>
public sealed record MergeRequestStatusCheck(long Id, string Name, string ExternalUrl, string Status);

public sealed record MergeRequest(
    long Id,
    long Iid,
    long ProjectId,
    string Title,
    string? Description,
    string State,
    string SourceBranch,
    string TargetBranch,
    string Sha,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? MergedAt,
    DateTimeOffset? ClosedAt,
    string DetailedMergeStatus,
    string WebUrl);

public sealed record StatusCheckResponse(
    long Id,
    MergeRequest MergeRequest,
    ExternalStatusCheck ExternalStatusCheck,
    string Status,
    string Sha,
    DateTimeOffset CreatedAt);

public sealed record User(
    long Id,
    string Username,
    string Name,
    string Email,
    string State,
    DateTimeOffset CreatedAt,
    string WebUrl,
    bool IsAdmin);

/// <summary>
/// A user as anyone with a token sees them (GET /users/:id): GitLab's <c>API::Entities::User</c>. Profile fields this
/// service does not keep carry GitLab's empty values.
/// </summary>
public record UserProfile(long Id, string Username, string Name, string State, string WebUrl, DateTimeOffset CreatedAt)
{
    public bool Locked { get; init; }

    public string? AvatarUrl { get; init; }

    public string Bio { get; init; } = "";

    public string? Location { get; init; }

    public string? PublicEmail { get; init; }

    public string Skype { get; init; } = "";

    public string Linkedin { get; init; } = "";

    public string Twitter { get; init; } = "";

    public string Discord { get; init; } = "";

    public string WebsiteUrl { get; init; } = "";

    public string? Organization { get; init; }

    public string JobTitle { get; init; } = "";

    public string? Pronouns { get; init; }

    public bool Bot { get; init; }

    public string? WorkInformation { get; init; }

    public int Followers { get; init; }

    public int Following { get; init; }

    public string? LocalTime { get; init; }
}

/// <summary>
/// The token's own user (GET /user): GitLab's <c>API::Entities::UserPublic</c> (the public profile plus the account's
/// own fields), and <c>is_admin</c> when the caller is the administrator (<c>UserWithAdmin</c>). <see cref="Email"/> is
/// null for the administrator, who has none here.
/// </summary>
public sealed record UserAccount(
    long Id,
    string Username,
    string Name,
    string State,
    string WebUrl,
    DateTimeOffset CreatedAt,
    string? Email,
    bool CanCreateProject,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsAdmin)
    : UserProfile(Id, Username, Name, State, WebUrl, CreatedAt)
{
    public DateTimeOffset? LastSignInAt { get; init; }

    public DateTimeOffset? ConfirmedAt => CreatedAt;

    public string? LastActivityOn { get; init; }

    public int ThemeId { get; init; } = 1;

    public int ColorSchemeId { get; init; } = 1;

    public int ProjectsLimit { get; init; }

    public DateTimeOffset? CurrentSignInAt { get; init; }

    public IReadOnlyList<object> Identities { get; init; } = [];

    public bool CanCreateGroup { get; init; }

    public bool TwoFactorEnabled { get; init; }

    public bool External { get; init; }

    public bool PrivateProfile { get; init; }

    public string? CommitEmail => Email;
}

/// <summary>A token as created: <see cref="Token"/> is the only time the plaintext is ever shown.</summary>
public sealed record PersonalAccessToken(
    long Id,
    string Name,
    bool Revoked,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Scopes,
    long UserId,
    DateTimeOffset? LastUsedAt,
    bool Active,
    DateOnly? ExpiresAt,
    string Token);

/// <summary>A project member; <see cref="Id"/> is the user's id, as in GitLab.</summary>
public sealed record Member(
    long Id,
    string Username,
    string Name,
    string State,
    int AccessLevel,
    DateTimeOffset CreatedAt,
    DateOnly? ExpiresAt,
    string WebUrl);

public static class MergeRequestStates
{
    public const string Opened = "opened";
    public const string Closed = "closed";
    public const string Merged = "merged";

    /// <summary>A state GitLab filters by; no MR here is ever locked.</summary>
    public const string Locked = "locked";

    /// <summary>The list filter for every state.</summary>
    public const string All = "all";
}

public static class CheckStatuses
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Pending = "pending";
}

public static class DetailedMergeStatuses
{
    public const string NotOpen = "not_open";
    public const string StatusChecksMustPass = "status_checks_must_pass";
    public const string Mergeable = "mergeable";
}
