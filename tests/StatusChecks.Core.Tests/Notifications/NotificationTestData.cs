using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Notifications;

/// <summary>Rows and events for the notification tests: project 7, MR !1 (id 501) open on main at <see cref="Sha.A"/>, revision 3.</summary>
internal static class NotificationTestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static MergeRequestEntity MergeRequest(long revision = 3, long notifiedRevision = 3) => new()
    {
        Id = 501,
        Iid = 1,
        ProjectId = 7,
        Title = "Add feature",
        State = MergeRequestStates.Opened,
        SourceBranch = "feature",
        TargetBranch = "main",
        Sha = Sha.A,
        Author = "user:42",
        CreatedAt = Now.AddHours(-1),
        UpdatedAt = Now,
        ShaChangedAt = Now,
        NotifiedAt = Now,
        Revision = revision,
        NotifiedRevision = notifiedRevision,
    };

    public static MergeRequestEvent Event(MergeRequestEventKind kind = MergeRequestEventKind.Updated, long revision = 3, IReadOnlyList<long>? checkIds = null) =>
        new(
            kind,
            7,
            501,
            1,
            Sha.A,
            "main",
            checkIds ?? [10],
            kind == MergeRequestEventKind.Updated ? Sha.B : null,
            null,
            "user:42",
            Now,
            EventIds.ForRevision(501, revision),
            revision);

    /// <summary>A check; with branch names it applies only to MRs targeting them.</summary>
    public static ResolvedCheck Check(long id, params string[] branches) => new(
        new StatusCheckEntity { Id = id, ProjectId = 7, Name = $"check-{id}", ExternalUrl = $"https://ci.example/{id}", CreatedAt = Now.AddDays(-1) },
        branches.Select((name, i) => new ProtectedBranchEntity { Id = 100 + i, ProjectId = 7, Name = name }).ToList());
}
