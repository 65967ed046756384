using System.Runtime.Serialization;
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

    /// <summary>(bridge) The project has a GitLab link: its MRs are mirrored and its check results reported to GitLab.</summary>
    public bool GitLabLinked { get; set; }
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

    /// <summary>
    /// GitLab's description (null = never given). Stored in <see cref="DescriptionPart1"/>/<see cref="DescriptionPart2"/>:
    /// a string property holds at most 64 KiB (32K UTF-16 characters), a description up to <see cref="Domain.Rules.MaxDescriptionLength"/>.
    /// </summary>
    [IgnoreDataMember]
    public string? Description
    {
        get => TextParts.Join(DescriptionPart1, DescriptionPart2);
        set => (DescriptionPart1, DescriptionPart2) = TextParts.Split(value);
    }

    public string? DescriptionPart1 { get; set; }

    public string? DescriptionPart2 { get; set; }

    /// <summary>
    /// The description before the last write that changed it (as <see cref="PreviousSha"/>): the hook's
    /// <c>changes.description.previous</c>, read at fan-out, because a description is too large for a queue message.
    /// </summary>
    [IgnoreDataMember]
    public string? PreviousDescription
    {
        get => TextParts.Join(PreviousDescriptionPart1, PreviousDescriptionPart2);
        set => (PreviousDescriptionPart1, PreviousDescriptionPart2) = TextParts.Split(value);
    }

    public string? PreviousDescriptionPart1 { get; set; }

    public string? PreviousDescriptionPart2 { get; set; }

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

    /// <summary>(bridge) <c>object_attributes.updated_at</c> of the GitLab event last mirrored; older events change nothing.</summary>
    public DateTimeOffset? MirroredUpdatedAt { get; set; }
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

/// <summary>A text longer than one string property holds, split in two without splitting a surrogate pair.</summary>
internal static class TextParts
{
    /// <summary>Characters per part: 64 KiB of UTF-16 is 32,768; a little less leaves room to keep a surrogate pair whole.</summary>
    public const int PartLength = 32_000;

    public const int MaxLength = 2 * PartLength;

    public static (string? First, string? Second) Split(string? text)
    {
        if (text is null || text.Length <= PartLength)
        {
            return (text, null);
        }

        if (text.Length > MaxLength)
        {
            throw new ArgumentException($"A text of {text.Length} characters does not fit in two parts.", nameof(text));
        }

        var cut = char.IsHighSurrogate(text[PartLength - 1]) ? PartLength - 1 : PartLength;
        return (text[..cut], text[cut..]);
    }

    public static string? Join(string? first, string? second) => second is null ? first : first + second;
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

/// <summary>
/// The per-project MR iid counter: the highest iid. <see cref="Mirrored"/> once an MR came from GitLab with GitLab's
/// iid: iids may then have gaps, so a list counts its rows instead of taking the last iid as the total.
/// </summary>
internal sealed record IidCounterEntity : Row
{
    public long Value { get; set; }

    public bool Mirrored { get; set; }
}
