using Azure;
using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

// Table rows. Records so services can derive changed copies with `with`; settable properties because the
// Tables SDK materialises them. Keys are set by the stores (see Keys).

internal abstract record Row : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}

internal sealed record ProjectEntity : Row
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Path { get; set; } = "";

    public string Namespace { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool OnlyAllowMergeIfAllStatusChecksPassed { get; set; }
}

internal sealed record UserEntity : Row
{
    public long Id { get; set; }

    public string Username { get; set; } = "";

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>True only for the administrator's own row (id <see cref="Domain.Administrator.UserId"/>).</summary>
    public bool IsAdmin { get; set; }
}

/// <summary>A personal access token, keyed by the SHA-256 of its value; the value itself is never stored.</summary>
internal sealed record TokenEntity : Row
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>yyyy-MM-dd; valid through that day (UTC). Null = no expiry.</summary>
    public string? ExpiresAt { get; set; }

    public bool Revoked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed record MemberEntity : Row
{
    public long ProjectId { get; set; }

    public long UserId { get; set; }

    public string Username { get; set; } = "";

    public string Name { get; set; } = "";

    public int AccessLevel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>yyyy-MM-dd, or null: no expiry.</summary>
    public string? ExpiresAt { get; set; }
}

internal sealed record ProtectedBranchEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed record StatusCheckEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public string Name { get; set; } = "";

    public string ExternalUrl { get; set; } = "";

    /// <summary>The shared secret as <c>ISecretProtector</c> protected it; null = no HMAC.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Comma-separated protected-branch ids; empty = applies to every branch.</summary>
    public string ProtectedBranchIds { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One change to a check (append-only): who, when, what (never the secret).</summary>
internal sealed record AuditEntity : Row
{
    public string Action { get; set; } = "";

    public string Actor { get; set; } = "";

    public long SubjectId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>JSON of the check's state after the change.</summary>
    public string Details { get; set; } = "";
}

internal sealed record MergeRequestEntity : Row
{
    public long Id { get; set; }

    public long Iid { get; set; }

    public long ProjectId { get; set; }

    public string Title { get; set; } = "";

    public string State { get; set; } = "";

    public string SourceBranch { get; set; } = "";

    public string TargetBranch { get; set; } = "";

    public string Sha { get; set; } = "";

    public string Author { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? MergedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When <see cref="Sha"/> became the HEAD: responses before it belong to older commits.</summary>
    public DateTimeOffset ShaChangedAt { get; set; }

    /// <summary>Last notification of all checks (opened, reopened, sha or target change): pending timeouts count from here.</summary>
    public DateTimeOffset NotifiedAt { get; set; }

    public string? PreviousSha { get; set; }

    public string? PreviousTargetBranch { get; set; }

    /// <summary>1 when created, +1 on every write: events name the revision they were published for.</summary>
    public long Revision { get; set; }

    /// <summary>The <see cref="Revision"/> whose write last notified the checks (moves with <see cref="NotifiedAt"/>).</summary>
    public long NotifiedRevision { get; set; }
}

/// <summary>A status response (append-only; doubles as its audit record).</summary>
internal sealed record CheckResponseEntity : Row
{
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long MergeRequestIid { get; set; }

    public long CheckId { get; set; }

    public string Sha { get; set; } = "";

    public string Status { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One check reset to pending on one MR at a sha (retry, or the check newly applying).</summary>
internal sealed record CheckResetEntity : Row
{
    public long CheckId { get; set; }

    public string Sha { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Reason { get; set; } = "";
}

/// <summary>Points a unique value (path, name, URL, ...) at the row that owns it.</summary>
internal sealed record IndexEntity : Row
{
    public long TargetId { get; set; }
}

/// <summary>A counter: a shard of a list's total, the per-project MR iid, or an id block's high-water mark.</summary>
internal sealed record CounterEntity : Row
{
    public long Value { get; set; }
}
