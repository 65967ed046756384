using Moq;
using StatusChecks.Core.Bridge;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Services;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Bridge;

/// <summary>The mirror goes through the MR service's rules: the same events as the API, GitLab's iid, older events ignored.</summary>
public sealed class MergeRequestMirrorTests
{
    private static readonly DateTimeOffset T1 = Harness.Now.AddMinutes(-10);
    private static readonly DateTimeOffset T2 = Harness.Now.AddMinutes(-5);
    private readonly Harness h = new();
    private readonly List<string> calls = [];
    private readonly List<MergeRequestEvent> events = [];

    public MergeRequestMirrorTests()
    {
        h.Project = h.Project with { GitLabLinked = true };
        h.GivenChecks(h.GivenCheck(31, "ci"));
        h.Events.Setup(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEvent, CancellationToken>((e, _) =>
            {
                calls.Add("publish");
                events.Add(e);
            })
            .Returns(Task.CompletedTask);
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()))
            .Callback(() => calls.Add("write"))
            .ReturnsAsync((MergeRequestEntity mr, CancellationToken _) => mr);
    }

    private static GitLabMergeRequestHook Hook(string state = MergeRequestStates.Opened, string sha = Sha.A, DateTimeOffset? updatedAt = null, string target = "main", long iid = 42) =>
        new(4242, iid, "open", state, "Add login", "", "feature", target, sha, updatedAt ?? T1);

    private MergeRequestEntity Stored(string state = MergeRequestStates.Opened, DateTimeOffset? mirrored = null)
    {
        var mr = h.GivenMergeRequest(iid: 42, state: state) with { Title = "Add login", Description = "", Revision = 3, NotifiedRevision = 3, MirroredUpdatedAt = mirrored ?? T1 };
        h.MergeRequests.Setup(m => m.GetAsync(h.Project.Id, 42, It.IsAny<CancellationToken>())).ReturnsAsync(mr);
        return mr;
    }

    [Fact]
    public async Task FirstSight_CreatedWithGitLabsIid_OpenedPublishedBeforeTheInsert()
    {
        MergeRequestEntity? inserted = null;
        h.MergeRequests.Setup(m => m.CreateMirroredAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<Func<MergeRequestEntity, CancellationToken, Task>>(), It.IsAny<CancellationToken>()))
            .Returns(async (MergeRequestEntity mr, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken ct) =>
            {
                await beforeCommit(mr, ct);
                calls.Add("insert");
                inserted = mr;
                return mr;
            });

        Assert.Equal(MirrorOutcome.Created, await h.MergeRequestService().MirrorAsync(h.Project, Hook(), CancellationToken.None));

        Assert.Equal(["publish", "insert"], calls);
        var opened = Assert.Single(events);
        Assert.Equal((MergeRequestEventKind.Opened, 42L, Sha.A), (opened.Kind, opened.MergeRequestIid, opened.Sha));
        Assert.Equal([31L], opened.CheckIds);
        Assert.Equal((42L, "feature", "main", T1, 1L), (inserted!.Iid, inserted.SourceBranch, inserted.TargetBranch, inserted.MirroredUpdatedAt, inserted.NotifiedRevision));
    }

    [Fact]
    public async Task FirstSight_Closed_StoredWithoutNotifying()
    {
        h.MergeRequests.Setup(m => m.CreateMirroredAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<Func<MergeRequestEntity, CancellationToken, Task>>(), It.IsAny<CancellationToken>()))
            .Returns(async (MergeRequestEntity mr, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken ct) =>
            {
                await beforeCommit(mr, ct);
                return mr;
            });

        await h.MergeRequestService().MirrorAsync(h.Project, Hook(MergeRequestStates.Closed), CancellationToken.None);

        Assert.Empty(events);
    }

    [Fact]
    public async Task NewCommit_UpdatedWithPreviousSha_PublishedBeforeTheWrite()
    {
        Stored();

        Assert.Equal(MirrorOutcome.Updated, await h.MergeRequestService().MirrorAsync(h.Project, Hook(sha: Sha.B, updatedAt: T2), CancellationToken.None));

        Assert.Equal(["publish", "write"], calls);
        var updated = Assert.Single(events);
        Assert.Equal((MergeRequestEventKind.Updated, Sha.B, Sha.A, 4L), (updated.Kind, updated.Sha, updated.PreviousSha, updated.Revision));
        h.MergeRequests.Verify(m => m.UpdateAsync(It.Is<MergeRequestEntity>(mr => mr.Sha == Sha.B && mr.MirroredUpdatedAt == T2 && mr.NotifiedAt == Harness.Now), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task OlderEvent_ChangesNothing()
    {
        Stored(mirrored: T2);

        Assert.Equal(MirrorOutcome.Stale, await h.MergeRequestService().MirrorAsync(h.Project, Hook(sha: Sha.B, updatedAt: T1), CancellationToken.None));

        Assert.Empty(calls);
    }

    [Fact]
    public async Task SameEventAgain_NoEventNoChange()
    {
        Stored(mirrored: T1);

        Assert.Equal(MirrorOutcome.Unchanged, await h.MergeRequestService().MirrorAsync(h.Project, Hook(), CancellationToken.None));

        Assert.Empty(events);
    }

    [Theory]
    [InlineData(MergeRequestStates.Opened, MergeRequestStates.Closed, MergeRequestEventKind.Closed)]
    [InlineData(MergeRequestStates.Closed, MergeRequestStates.Opened, MergeRequestEventKind.Reopened)]
    [InlineData(MergeRequestStates.Opened, MergeRequestStates.Merged, MergeRequestEventKind.Merged)]
    public async Task StateChanges_SameEventsAsTheApi(string from, string to, MergeRequestEventKind kind)
    {
        Stored(from);

        await h.MergeRequestService().MirrorAsync(h.Project, Hook(to, updatedAt: T2), CancellationToken.None);

        Assert.Equal(kind, Assert.Single(events).Kind);
        h.MergeRequests.Verify(m => m.UpdateAsync(It.Is<MergeRequestEntity>(mr => mr.State == to), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task MergedMr_KeepsItsCommit()
    {
        Stored(MergeRequestStates.Merged);

        Assert.Equal(MirrorOutcome.Unchanged, await h.MergeRequestService().MirrorAsync(h.Project, Hook(MergeRequestStates.Opened, Sha.B, T2), CancellationToken.None));

        Assert.Empty(events);
        h.MergeRequests.Verify(m => m.UpdateAsync(It.Is<MergeRequestEntity>(mr => mr.Sha == Sha.A && mr.State == MergeRequestStates.Merged), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ApiWrites_RefusedOnALinkedProject_NothingPublished()
    {
        var service = h.MergeRequestService();

        var error = await DomainAssert.ThrowsAsync(() => service.CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewMergeRequest("f", "main", "t", Sha.A)));
        Assert.Equal(new DomainError.Unprocessable(MergeRequestService.MirroredMessage), error);
        await DomainAssert.ThrowsAsync(() => service.UpdateAsync(Caller.Admin, ProjectRef.ById(7), 42, new MergeRequestChanges(Title: "x")));
        await DomainAssert.ThrowsAsync(() => service.MergeAsync(Caller.Admin, ProjectRef.ById(7), 42, null));
        Assert.Empty(calls);
    }
}
