using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Services;

public sealed class MergeRequestServiceTests
{
    private static readonly DateTimeOffset Later = Harness.Now.AddHours(1);
    private readonly Harness h = new();

    [Fact]
    public void Apply_NewSha_KeepsPreviousAndRestartsChecks()
    {
        var next = MergeRequestService.Apply(Open(), null, null, Sha.B, null, Later);

        Assert.Equal((Sha.B, Sha.A, Later, Later), (next.Sha, next.PreviousSha, next.ShaChangedAt, next.NotifiedAt));
    }

    [Fact]
    public void Apply_SameSha_NothingRestarts()
    {
        var next = MergeRequestService.Apply(Open(), "New title", null, Sha.A, null, Later);

        Assert.Equal(("New title", Harness.Now, Harness.Now, (string?)null), (next.Title, next.ShaChangedAt, next.NotifiedAt, next.PreviousSha));
    }

    [Fact]
    public void Apply_NewTarget_KeepsPreviousAndNotifiesWithoutResettingResponses()
    {
        var next = MergeRequestService.Apply(Open(), null, "develop", null, null, Later);

        Assert.Equal(("develop", "main", Harness.Now, Later), (next.TargetBranch, next.PreviousTargetBranch, next.ShaChangedAt, next.NotifiedAt));
    }

    [Fact]
    public void Apply_NewShaOnClosed_ResetsButDoesNotNotify()
    {
        var next = MergeRequestService.Apply(Open() with { State = MergeRequestStates.Closed }, null, null, Sha.B, null, Later);

        Assert.Equal((Later, Harness.Now), (next.ShaChangedAt, next.NotifiedAt));
    }

    [Fact]
    public void Apply_CloseThenReopen_StateAndTimes()
    {
        var closed = MergeRequestService.Apply(Open(), null, null, null, "close", Later);
        Assert.Equal((MergeRequestStates.Closed, Later, Harness.Now), (closed.State, closed.ClosedAt, closed.NotifiedAt));

        var reopened = MergeRequestService.Apply(closed, null, null, null, "reopen", Later.AddHours(1));
        Assert.Equal((MergeRequestStates.Opened, (DateTimeOffset?)null, Later.AddHours(1)), (reopened.State, reopened.ClosedAt, reopened.NotifiedAt));
    }

    [Fact]
    public void Apply_TitleEdit_AnnouncedWithoutRestartingChecks()
    {
        var next = MergeRequestService.Apply(Open(), "New title", null, null, null, Later);

        Assert.Equal((next.Revision, Harness.Now), (next.NotifiedRevision, next.NotifiedAt));
    }

    [Theory]
    [InlineData(MergeRequestStates.Opened, "close")]
    [InlineData(MergeRequestStates.Closed, "reopen")]
    public void Apply_StateChange_Announced(string state, string stateEvent)
    {
        var next = MergeRequestService.Apply(Open() with { State = state }, null, null, null, stateEvent, Later);

        Assert.Equal(next.Revision, next.NotifiedRevision);
    }

    [Fact]
    public void Apply_NothingChanges_NotAnnounced()
    {
        var next = MergeRequestService.Apply(Open(), null, "main", Sha.A, "reopen", Later);

        Assert.Equal((Open().Revision + 1, Open().NotifiedRevision), (next.Revision, next.NotifiedRevision));
    }

    [Fact]
    public void Apply_ReopenMerged_Ignored() =>
        Assert.Equal(MergeRequestStates.Merged, MergeRequestService.Apply(Open() with { State = MergeRequestStates.Merged }, null, null, null, "reopen", Later).State);

    [Fact]
    public async Task CreateAsync_Valid_OpenedWithApplicableChecksPublished()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.MergeRequests.Setup(m => m.CreateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<Func<MergeRequestEntity, CancellationToken, Task>>(), It.IsAny<CancellationToken>()))
            .Returns(async (MergeRequestEntity draft, Func<MergeRequestEntity, CancellationToken, Task> beforeCommit, CancellationToken token) =>
            {
                await beforeCommit(draft with { Iid = 1 }, token);
                return draft with { Iid = 1 };
            });

        var mr = await h.MergeRequestService().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewMergeRequest("feature", "main", "Title", Sha.A));

        Assert.Equal((1L, MergeRequestStates.Opened, DetailedMergeStatuses.Mergeable), (mr.Iid, mr.State, mr.DetailedMergeStatus));
        Assert.Equal("http://localhost/root/demo/-/merge_requests/1", mr.WebUrl);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.Opened && ev.CheckIds.Single() == 10 && ev.Sha == Sha.A), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(null, "main", "T", Sha.A, "source_branch")]
    [InlineData("f", null, "T", Sha.A, "target_branch")]
    [InlineData("f", "main", null, Sha.A, "title")]
    [InlineData("f", "main", "T", null, "sha")]
    public async Task CreateAsync_MissingParameter_MissingParameter(string? source, string? target, string? title, string? sha, string parameter) =>
        Assert.Equal(
            new DomainError.MissingParameter(parameter),
            await DomainAssert.ThrowsAsync(() => h.MergeRequestService().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewMergeRequest(source, target, title, sha))));

    [Fact]
    public async Task UpdateAsync_UnknownStateEvent_InvalidParameter() =>
        Assert.Equal(
            new DomainError.InvalidParameter("state_event"),
            await DomainAssert.ThrowsAsync(() => h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(StateEvent: "merge"))));

    [Fact]
    public async Task UpdateAsync_NewSha_PublishesUpdatedWithPreviousSha()
    {
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var mr = await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Sha: Sha.B));

        Assert.Equal(Sha.B, mr.Sha);
        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.Updated && ev.PreviousSha == Sha.A && ev.Sha == Sha.B), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task UpdateAsync_TitleOnly_PublishesUpdatedWithPreviousTitleWithoutRestartingChecks()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Title: "Better"));

        h.Events.Verify(
            e => e.PublishAsync(
                It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.Updated && ev.PreviousTitle == "Change" && ev.PreviousSha == null
                    && ev.PreviousState == null && ev.PreviousUpdatedAt == Harness.Now && ev.OccurredAt == Harness.Now.AddMinutes(1) && ev.CheckIds.Single() == 10),
                It.IsAny<CancellationToken>()),
            Times.Once);
        h.MergeRequests.Verify(m => m.UpdateAsync(It.Is<MergeRequestEntity>(mr => mr.NotifiedAt == Harness.Now && mr.NotifiedRevision == mr.Revision), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task UpdateAsync_NothingChanges_NoEvent()
    {
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Title: "Change", Sha: Sha.A));

        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(MergeRequestStates.Opened, "close", MergeRequestEventKind.Closed)]
    [InlineData(MergeRequestStates.Closed, "reopen", MergeRequestEventKind.Reopened)]
    public async Task UpdateAsync_StateEvent_PublishesTheStateChange(string state, string stateEvent, MergeRequestEventKind kind)
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest(state: state);
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(StateEvent: stateEvent));

        h.Events.Verify(
            e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => ev.Kind == kind && ev.PreviousState == state && ev.CheckIds.Single() == 10), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public void Apply_DescriptionEdit_AnnouncedKeepingThePreviousWithoutRestartingChecks()
    {
        var next = MergeRequestService.Apply(Open() with { Description = "Old" }, null, null, null, null, Later, "New");

        Assert.Equal(("New", "Old", next.Revision, Harness.Now), (next.Description, next.PreviousDescription, next.NotifiedRevision, next.NotifiedAt));
    }

    [Fact]
    public void Apply_SameDescription_NotAnnounced()
    {
        var next = MergeRequestService.Apply(Open() with { Description = "Same" }, null, null, null, null, Later, "Same");

        Assert.Equal((Open().NotifiedRevision, (string?)null), (next.NotifiedRevision, next.PreviousDescription));
    }

    [Fact]
    public void Apply_EmptyDescriptionOverNone_AChange()
    {
        var next = MergeRequestService.Apply(Open(), null, null, null, null, Later, "");

        Assert.Equal(("", (string?)null, next.Revision), (next.Description, next.PreviousDescription, next.NotifiedRevision));
    }

    [Fact]
    public async Task UpdateAsync_DescriptionOnly_PublishesUpdatedFlaggingTheDescriptionBeforeTheWrite()
    {
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        var order = new List<string>();
        h.Events.Setup(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("publish")).Returns(Task.CompletedTask);
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add("write")).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        var mr = await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Description: "Why this change"));

        Assert.Equal("Why this change", mr.Description);
        Assert.Equal(["publish", "write"], order);
        h.Events.Verify(
            e => e.PublishAsync(
                It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.Updated && ev.DescriptionChanged && ev.PreviousTitle == null && ev.PreviousSha == null && ev.CheckIds.Single() == 10),
                It.IsAny<CancellationToken>()),
            Times.Once);
        h.MergeRequests.Verify(m => m.UpdateAsync(
            It.Is<MergeRequestEntity>(e => e.Description == "Why this change" && e.PreviousDescription == null && e.NotifiedRevision == e.Revision && e.NotifiedAt == Harness.Now),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task UpdateAsync_TitleOnly_DescriptionNotFlagged()
    {
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Title: "Better"));

        h.Events.Verify(e => e.PublishAsync(It.Is<MergeRequestEvent>(ev => !ev.DescriptionChanged), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task UpdateAsync_DescriptionOverTheLimit_ValidationFailedAndNothingChanges()
    {
        h.GivenMergeRequest();

        var error = await DomainAssert.ThrowsAsync(() => h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Description: new string('x', Rules.MaxDescriptionLength + 1))));

        Assert.Equal(["is too long (maximum is 35000 characters)"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["description"]);
        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        h.MergeRequests.Verify(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateAsync_DescriptionOverTheLimit_ValidationFailedAndNothingCreated()
    {
        var error = await DomainAssert.ThrowsAsync(() => h.MergeRequestService().CreateAsync(Caller.Admin, ProjectRef.ById(7), new NewMergeRequest("feature", "main", "T", Sha.A, new string('x', Rules.MaxDescriptionLength + 1))));

        Assert.Equal(["is too long (maximum is 35000 characters)"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["description"]);
        h.MergeRequests.Verify(m => m.CreateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<Func<MergeRequestEntity, CancellationToken, Task>>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MergeAsync_Mergeable_PublishesMergedToTheApplicableChecks()
    {
        h.GivenBranches(new ProtectedBranchEntity { Id = 5, ProjectId = h.Project.Id, Name = "develop" });
        h.GivenChecks(h.GivenCheck(10), h.GivenCheck(11, "other", 5));
        h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, MergeRequestStatuses _, CancellationToken _) => m);

        await h.MergeRequestService().MergeAsync(Caller.User(42, [TokenScopes.Api]), ProjectRef.ById(7), 1, null);

        h.Events.Verify(
            e => e.PublishAsync(
                It.Is<MergeRequestEvent>(ev => ev.Kind == MergeRequestEventKind.Merged && ev.PreviousState == MergeRequestStates.Opened && ev.Actor == "user:42" && ev.CheckIds.Count == 1 && ev.CheckIds[0] == 10),
                It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task MergeAsync_ShaNotHead_Conflict()
    {
        h.GivenMergeRequest();

        Assert.Equal(
            new DomainError.Conflict($"SHA does not match HEAD of source branch: {Sha.A}"), // the HEAD, as GitLab
            await DomainAssert.ThrowsAsync(() => h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, Sha.B)));
    }

    [Theory]
    [InlineData(MergeRequestStates.Closed)]
    [InlineData(MergeRequestStates.Merged)]
    public async Task MergeAsync_NotOpen_NotAllowed(string state)
    {
        h.GivenMergeRequest(state: state);

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, null)));
    }

    [Fact]
    public async Task MergeAsync_FlagOnAndCheckPending_NotAllowedAndNotMerged()
    {
        h.Project = h.Project with { OnlyAllowMergeIfAllStatusChecksPassed = true };
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, Sha.A)));
        h.MergeRequests.Verify(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>()), Times.Never);
        h.MergeRequests.Verify(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MergeAsync_FlagTurnedOnSinceTheAccessCacheReadTheProject_DecidesOnTheStoredProject()
    {
        // The access check may serve a cached project (StatusChecks:AccessCacheDuration); the merge reads it fresh.
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.Projects.Setup(p => p.GetAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(h.Project with { OnlyAllowMergeIfAllStatusChecksPassed = true });

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, null)));
        h.MergeRequests.Verify(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MergeAsync_StatusesChangedBeforeTheWrite_DecidesAgainOnTheNewStatuses()
    {
        // Issue 12 item 4: the write carries the statuses the decision read; when the store refuses it (a response
        // landed in between), the merge reads again and decides on what is stored now.
        h.Project = h.Project with { OnlyAllowMergeIfAllStatusChecksPassed = true };
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.GivenLatestResponse(1, 10, Sha.A, CheckStatuses.Passed, Harness.Now.AddSeconds(1));
        var written = new List<MergeRequestStatuses>();
        h.MergeRequests.Setup(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>()))
            .Callback<MergeRequestEntity, MergeRequestStatuses, CancellationToken>((_, statuses, _) =>
            {
                written.Add(statuses);
                h.GivenLatestResponse(1, 10, Sha.A, CheckStatuses.Failed, Harness.Now.AddSeconds(2));
            })
            .ThrowsAsync(new ConcurrencyException());

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, null)));

        var read = Assert.Single(written);
        Assert.Equal((1L, Sha.A, CheckStatuses.Passed), (read.Iid, read.Sha, read.Latest[10].Status));
    }

    [Fact]
    public async Task MergeAsync_FlagOnAndAllPassed_Merged()
    {
        h.Project = h.Project with { OnlyAllowMergeIfAllStatusChecksPassed = true };
        h.GivenChecks(h.GivenCheck(10));
        h.GivenMergeRequest();
        h.GivenLatestResponse(1, 10, Sha.A, CheckStatuses.Passed, Harness.Now.AddSeconds(1));
        h.MergeRequests.Setup(m => m.MergeAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<MergeRequestStatuses>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, MergeRequestStatuses _, CancellationToken _) => m);

        var mr = await h.MergeRequestService().MergeAsync(Caller.Admin, ProjectRef.ById(7), 1, Sha.A);

        Assert.Equal((MergeRequestStates.Merged, DetailedMergeStatuses.NotOpen), (mr.State, mr.DetailedMergeStatus));
        Assert.Equal(Harness.Now, mr.MergedAt);
    }

    private static MergeRequestEntity Open() => new()
    {
        Iid = 1,
        State = MergeRequestStates.Opened,
        TargetBranch = "main",
        Sha = Sha.A,
        CreatedAt = Harness.Now,
        ShaChangedAt = Harness.Now,
        NotifiedAt = Harness.Now,
    };

    [Theory]
    [InlineData(Sha.B, null, null)]
    [InlineData(null, "release", null)]
    [InlineData(null, null, "reopen")]
    [InlineData(null, null, "close")]
    public async Task UpdateAsync_MergedRewritten_NotAllowedAndNothingWritten(string? sha, string? target, string? stateEvent)
    {
        h.GivenMergeRequest(state: MergeRequestStates.Merged);
        var changes = new MergeRequestChanges(Title: "Renamed", TargetBranch: target, Sha: sha, StateEvent: stateEvent);

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, changes)));
        h.MergeRequests.Verify(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateAsync_MergedTitleWithSameShaAndTarget_Allowed()
    {
        h.GivenMergeRequest(state: MergeRequestStates.Merged);
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        var mr = await h.MergeRequestService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 1, new MergeRequestChanges(Title: "Renamed", TargetBranch: "main", Sha: Sha.A));

        Assert.Equal(("Renamed", MergeRequestStates.Merged, Sha.A), (mr.Title, mr.State, mr.Sha));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("all", null, true)]
    [InlineData("opened", "asc", false)]
    [InlineData("merged", "desc", true)]
    public async Task ListAsync_StateAllIsNoFilter_SortDescByDefault(string? state, string? sort, bool descending)
    {
        h.MergeRequests.Setup(m => m.ListAsync(7, It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<bool>(), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<MergeRequestEntity>([], 1, 20, 0));

        await h.MergeRequestService().ListAsync(Caller.Admin, ProjectRef.ById(7), new MergeRequestQuery(state, " ", "", sort), PageRequest.Default);

        h.MergeRequests.Verify(m => m.ListAsync(7, state == "all" ? null : state, null, null, descending, PageRequest.Default, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListAsync_Locked_EmptyWithoutReading()
    {
        var page = await h.MergeRequestService().ListAsync(Caller.Admin, ProjectRef.ById(7), new MergeRequestQuery("locked"), PageRequest.Default);

        Assert.Equal((0, 0L), (page.Items.Count, page.Total));
        h.MergeRequests.Verify(
            m => m.ListAsync(It.IsAny<long>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<bool>(), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Theory]
    [InlineData("open", null, "state")]
    [InlineData(null, "up", "sort")]
    public async Task ListAsync_UnknownValue_InvalidParameter(string? state, string? sort, string parameter) =>
        Assert.Equal(
            new DomainError.InvalidParameter(parameter),
            await DomainAssert.ThrowsAsync(() => h.MergeRequestService().ListAsync(Caller.Admin, ProjectRef.ById(7), new MergeRequestQuery(state, Sort: sort), PageRequest.Default)));

    [Fact]
    public async Task ListAsync_FlagOff_NoCheckStatusIsRead()
    {
        var open = h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.ListAsync(7, null, null, null, true, It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<MergeRequestEntity>([open, open with { Iid = 2, State = MergeRequestStates.Closed }], 1, 20, 2));

        var page = await h.MergeRequestService().ListAsync(Caller.Admin, ProjectRef.ById(7), new MergeRequestQuery(), PageRequest.Default);

        Assert.Equal([DetailedMergeStatuses.Mergeable, DetailedMergeStatuses.NotOpen], page.Items.Select(mr => mr.DetailedMergeStatus));
        h.Checks.Verify(c => c.ListAllAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Responses.Verify(r => r.ReadAsync(It.IsAny<long>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
