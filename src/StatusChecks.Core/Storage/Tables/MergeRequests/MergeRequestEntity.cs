using System.Runtime.Serialization;

namespace StatusChecks.Core.Storage.Tables;

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
