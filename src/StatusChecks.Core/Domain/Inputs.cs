namespace StatusChecks.Core.Domain;

// Request parameters as the HTTP layer parsed them: null = not given. The domain decides what is required
// (MissingParameter) and what is valid (InvalidParameter / ValidationFailed); the HTTP layer only reports
// values it cannot parse into these types (e.g. "abc" for a number) as InvalidParameter itself.

/// <summary><see cref="Namespace"/> (extension, e.g. "group" or "group/sub") defaults to "root", the admin's namespace.</summary>
public sealed record NewProject(string? Name, string? Path, string? Namespace = null);

public sealed record ProjectChanges(bool? OnlyAllowMergeIfAllStatusChecksPassed);

public sealed record NewUser(string? Username, string? Name, string? Email);

public sealed record NewPersonalAccessToken(string? Name, IReadOnlyList<string>? Scopes, DateOnly? ExpiresAt);

public sealed record NewMember(long? UserId, int? AccessLevel, DateOnly? ExpiresAt = null);

/// <summary>PUT of a membership: <see cref="AccessLevel"/> is required; a null <see cref="ExpiresAt"/> leaves the expiry as it is.</summary>
public sealed record MemberChanges(int? AccessLevel, DateOnly? ExpiresAt = null);

/// <summary>
/// GET /projects/:id/merge_requests filters: <see cref="State"/> <c>opened</c>, <c>closed</c>, <c>locked</c>,
/// <c>merged</c> or <c>all</c> (default); blank branch filters are no filter; <see cref="Sort"/> <c>desc</c> (newest
/// first, the default) or <c>asc</c>.
/// </summary>
public sealed record MergeRequestQuery(string? State = null, string? TargetBranch = null, string? SourceBranch = null, string? Sort = null);

public sealed record NewMergeRequest(string? SourceBranch, string? TargetBranch, string? Title, string? Sha, string? Description = null);

/// <summary><see cref="StateEvent"/> is <c>close</c> or <c>reopen</c>.</summary>
public sealed record MergeRequestChanges(string? Title = null, string? TargetBranch = null, string? Sha = null, string? StateEvent = null, string? Description = null);

/// <summary>An empty <see cref="SharedSecret"/> means none.</summary>
public sealed record NewStatusCheck(string? Name, string? ExternalUrl, string? SharedSecret = null, IReadOnlyList<long>? ProtectedBranchIds = null);

/// <summary>Given fields replace; an empty <see cref="SharedSecret"/> removes the secret, an empty id list removes all branches.</summary>
public sealed record StatusCheckChanges(string? Name = null, string? ExternalUrl = null, string? SharedSecret = null, IReadOnlyList<long>? ProtectedBranchIds = null);

/// <summary><see cref="Status"/>: <c>passed</c> (default when absent), <c>failed</c> or <c>pending</c>.</summary>
public sealed record NewStatusCheckResponse(string? Sha, long? ExternalStatusCheckId, string? Status = null);
