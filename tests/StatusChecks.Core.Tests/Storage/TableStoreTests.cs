using Microsoft.Extensions.Time.Testing;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ListProtectedBranches_45Items_RightPagesAndTotal()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var branches = domain.Get<IProtectedBranchService>();
        var created = new List<ProtectedBranch>();
        for (var i = 0; i < 45; i++)
        {
            created.Add(await branches.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), $"release/{i}"));
        }

        var pages = new List<Page<ProtectedBranch>>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await branches.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Create(page, 20)));
        }

        Assert.Equal([20, 20, 5, 0], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(45, p.Total));
        Assert.Equal(created.Select(b => b.Id).Order(), pages.SelectMany(p => p.Items).Select(b => b.Id));
        Assert.Equal(created[20].Id, pages[1].Items[0].Id);
        Assert.Equal(created[44].Id, pages[2].Items[^1].Id);
    }

    [Fact]
    public async Task ProtectedBranches_DuplicateAndDeleteByName_ConflictThenFreed()
    {
        await using var domain = azurite.CreateDomain();
        var project = ProjectRef.ById((await domain.NewProjectAsync()).Id);
        var branches = domain.Get<IProtectedBranchService>();
        await branches.CreateAsync(domain.Admin, project, "release/*");

        Assert.Equal(
            new DomainError.Conflict("Protected branch 'release/*' already exists"),
            (await Assert.ThrowsAsync<DomainException>(() => branches.CreateAsync(domain.Admin, project, "release/*"))).Error);

        await branches.DeleteAsync(domain.Admin, project, "release/*");
        Assert.Equal(0, (await branches.ListAsync(domain.Admin, project, PageRequest.Default)).Total);
        Assert.Equal("release/*", (await branches.CreateAsync(domain.Admin, project, "release/*")).Name);
        Assert.IsType<DomainError.RecordNotFound>((await Assert.ThrowsAsync<DomainException>(() => branches.DeleteAsync(domain.Admin, project, "nope"))).Error);
        Assert.Equal("release/*", (await branches.GetAsync(domain.Admin, project, "release/*")).Name);
        Assert.IsType<DomainError.RecordNotFound>((await Assert.ThrowsAsync<DomainException>(() => branches.GetAsync(domain.Admin, project, "release/1"))).Error);
    }

    [Fact]
    public async Task Merge_FailedResponseLandsBetweenTheReadAndTheWrite_NotMerged()
    {
        // Issue 12 item 4. The merge publishes Merged after reading the statuses and before its write: the hook records
        // a failed response exactly there, so the write must not commit a decision made on the passed status.
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        await domain.Get<IProjectService>().UpdateAsync(domain.Admin, id, new ProjectChanges(true));
        var checks = domain.Get<IStatusCheckService>();
        var check = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("ci", "https://ci.example/"));
        var mr = await domain.NewMergeRequestAsync(project);
        await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "passed"));
        var injected = 0;
        domain.Events.OnPublished = async published =>
        {
            if (published.Kind == MergeRequestEventKind.Merged && Interlocked.Increment(ref injected) == 1)
            {
                await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "failed"));
            }
        };

        var error = await Assert.ThrowsAsync<DomainException>(() => domain.Get<IMergeRequestService>().MergeAsync(domain.Admin, id, mr.Iid, null));

        Assert.IsType<DomainError.NotAllowed>(error.Error);
        Assert.Equal(1, injected);
        var stored = await domain.Get<IMergeRequestService>().GetAsync(domain.Admin, id, mr.Iid);
        Assert.Equal((MergeRequestStates.Opened, DetailedMergeStatuses.StatusChecksMustPass), (stored.State, stored.DetailedMergeStatus));
    }

    [Fact]
    public async Task Merge_RetryResetLandsBetweenTheReadAndTheWrite_NotMerged()
    {
        // As above with a reset (the check restarts as pending): resets move the same version row.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var domain = azurite.CreateDomain(time);
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        await domain.Get<IProjectService>().UpdateAsync(domain.Admin, id, new ProjectChanges(true));
        var checks = domain.Get<IStatusCheckService>();
        var check = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("ci", "https://ci.example/"));
        var mr = await domain.NewMergeRequestAsync(project);
        time.Advance(TimeSpan.FromSeconds(1));
        await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "passed"));
        var store = domain.Get<ICheckResponseStore>();
        var injected = 0;
        domain.Events.OnPublished = async published =>
        {
            if (published.Kind == MergeRequestEventKind.Merged && Interlocked.Increment(ref injected) == 1)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await store.ResetAsync(project.Id, mr.Iid, new CheckResetEntity { CheckId = check.Id, Sha = Sha.A, At = time.GetUtcNow(), Reason = "retry" }, CancellationToken.None);
            }
        };

        var error = await Assert.ThrowsAsync<DomainException>(() => domain.Get<IMergeRequestService>().MergeAsync(domain.Admin, id, mr.Iid, null));

        Assert.IsType<DomainError.NotAllowed>(error.Error);
        Assert.Equal(MergeRequestStates.Opened, (await domain.Get<IMergeRequestService>().GetAsync(domain.Admin, id, mr.Iid)).State);
    }

    [Fact]
    public async Task Merge_ResponseStoredForACheckThatDoesNotApply_Merges()
    {
        // GitLab accepts a response from any check of the project; it writes the MR's version row, which the merge
        // then commits against even though no check applies to the MR.
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        var branch = await domain.Get<IProtectedBranchService>().CreateAsync(domain.Admin, id, "release");
        var checks = domain.Get<IStatusCheckService>();
        var check = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("ci", "https://ci.example/", ProtectedBranchIds: [branch.Id]));
        var mr = await domain.NewMergeRequestAsync(project, target: "main");
        await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "failed"));

        var merged = await domain.Get<IMergeRequestService>().MergeAsync(domain.Admin, id, mr.Iid, null);

        Assert.Equal(MergeRequestStates.Merged, merged.State);
    }

    [Fact]
    public async Task Merge_PassedResponseToAnotherMergeRequestInBetween_StillMerges()
    {
        // The version is per MR and sha: statuses elsewhere never hold a merge back.
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        await domain.Get<IProjectService>().UpdateAsync(domain.Admin, id, new ProjectChanges(true));
        var checks = domain.Get<IStatusCheckService>();
        var check = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("ci", "https://ci.example/"));
        var mr = await domain.NewMergeRequestAsync(project);
        var other = await domain.NewMergeRequestAsync(project);
        await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "passed"));
        domain.Events.OnPublished = async published =>
        {
            if (published.Kind == MergeRequestEventKind.Merged)
            {
                await checks.RespondAsync(domain.Admin, id, other.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "failed"));
            }
        };

        var merged = await domain.Get<IMergeRequestService>().MergeAsync(domain.Admin, id, mr.Iid, null);

        Assert.Equal(MergeRequestStates.Merged, merged.State);
        Assert.Single(domain.Events.Published, e => e.Kind == MergeRequestEventKind.Merged);
    }

    [Fact]
    public async Task AddResponse_RecordedAfterOneWithALaterClock_IsTheNewest()
    {
        // Two instances whose clocks disagree: the response recorded last is the check's status (GitLab's is its last
        // inserted row), whatever the created_at each instance gave it.
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var store = domain.Get<ICheckResponseStore>();
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        CheckResponseEntity Response(long id, string status, DateTimeOffset createdAt) => new()
        {
            Id = id, ProjectId = project.Id, MergeRequestIid = 1, CheckId = 5, Sha = Sha.A, Status = status, Actor = "user:1", CreatedAt = createdAt,
        };

        await store.AddAsync(Response(11, CheckStatuses.Passed, at.AddSeconds(2)), CancellationToken.None);
        var before = await store.ReadAsync(project.Id, 1, Sha.A, CancellationToken.None);
        await store.AddAsync(Response(12, CheckStatuses.Failed, at), CancellationToken.None);
        var after = await store.ReadAsync(project.Id, 1, Sha.A, CancellationToken.None);

        Assert.Equal((12L, CheckStatuses.Failed), (after.Latest[5].Id, after.Latest[5].Status));
        Assert.NotEqual(before.Version, after.Version); // every response moves the version a merge commits against
    }

    [Fact]
    public async Task StatusLifecycle_ResponsesShaChangeTimeoutRetry_AsSpecified()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var domain = azurite.CreateDomain(time);
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        await domain.Get<IProjectService>().UpdateAsync(domain.Admin, id, new ProjectChanges(true));
        var checks = domain.Get<IStatusCheckService>();
        var mergeRequests = domain.Get<IMergeRequestService>();
        var check = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("ci", "https://ci.example/"));
        var mr = await domain.NewMergeRequestAsync(project);
        Assert.Equal(DetailedMergeStatuses.StatusChecksMustPass, mr.DetailedMergeStatus);
        Assert.Equal("pending", await StatusAsync());

        time.Advance(TimeSpan.FromSeconds(10));
        var response = await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id, "passed"));
        Assert.Equal(DetailedMergeStatuses.Mergeable, response.MergeRequest.DetailedMergeStatus);
        Assert.Equal("passed", await StatusAsync());

        // A new commit: pending again, then failed after the timeout, then retried back to pending.
        time.Advance(TimeSpan.FromSeconds(10));
        await mergeRequests.UpdateAsync(domain.Admin, id, mr.Iid, new MergeRequestChanges(Sha: Sha.B));
        Assert.Equal("pending", await StatusAsync());
        await Assert.ThrowsAsync<DomainException>(() => checks.RetryAsync(domain.Admin, id, mr.Iid, check.Id));
        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal("failed", await StatusAsync());
        Assert.IsType<DomainError.NotAllowed>((await Assert.ThrowsAsync<DomainException>(() => mergeRequests.MergeAsync(domain.Admin, id, mr.Iid, null))).Error);
        await checks.RetryAsync(domain.Admin, id, mr.Iid, check.Id);
        Assert.Equal("pending", await StatusAsync());

        // The old sha is refused and records nothing; the current one counts.
        await Assert.ThrowsAsync<DomainException>(() => checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.A, check.Id)));
        Assert.Equal("pending", await StatusAsync());
        time.Advance(TimeSpan.FromSeconds(1));
        await checks.RespondAsync(domain.Admin, id, mr.Iid, new NewStatusCheckResponse(Sha.B, check.Id, CheckStatuses.Passed));
        Assert.Equal("passed", await StatusAsync());
        var merged = await mergeRequests.MergeAsync(domain.Admin, id, mr.Iid, Sha.B);
        Assert.Equal(MergeRequestStates.Merged, merged.State);

        Assert.Equal(
            [MergeRequestEventKind.Opened, MergeRequestEventKind.Updated, MergeRequestEventKind.RetryRequested, MergeRequestEventKind.Merged],
            domain.Events.Published.Select(e => e.Kind));

        async Task<string> StatusAsync() =>
            Assert.Single((await checks.ListForMergeRequestAsync(domain.Admin, id, mr.Iid, PageRequest.Default)).Items).Status;
    }

    [Fact]
    public async Task UpdateAndDeleteCheck_UniqueIndexesMoveAndAuditKept()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        var checks = domain.Get<IStatusCheckService>();
        var first = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("first", "https://ci.example/1"));
        var second = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("second", "https://ci.example/2"));

        var taken = await Assert.ThrowsAsync<DomainException>(() => checks.UpdateAsync(domain.Admin, id, second.Id, new StatusCheckChanges(ExternalUrl: "https://ci.example/1")));
        Assert.Equal(["External url has already been taken"], Assert.IsType<DomainError.RecordInvalid>(taken.Error).Messages);

        await checks.UpdateAsync(domain.Admin, id, first.Id, new StatusCheckChanges(Name: "renamed", SharedSecret: "s3cret"));
        var reused = await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("first", "https://ci.example/3"));
        await checks.DeleteAsync(domain.Admin, id, second.Id, null);
        await checks.CreateAsync(domain.Admin, id, new NewStatusCheck("second", "https://ci.example/2"));

        var list = await checks.ListAsync(domain.Admin, id, PageRequest.Default);
        Assert.Equal(["renamed", "first", "second"], list.Items.Select(c => c.Name));
        Assert.Equal(3, list.Total);
        Assert.True(list.Items[0].Hmac);
        Assert.NotEqual(first.Id, reused.Id);
        var audit = await domain.AuditAsync(project.Id);
        Assert.Equal(
            ["external_status_check.create", "external_status_check.create", "external_status_check.update", "external_status_check.create", "external_status_check.delete", "external_status_check.create"],
            audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.DoesNotContain("s3cret", a.Details, StringComparison.Ordinal));
        Assert.Equal(
            new DomainError.RecordNotFound(),
            (await Assert.ThrowsAsync<DomainException>(() => checks.DeleteAsync(domain.Admin, id, second.Id, null))).Error);
    }

    [Fact]
    public async Task ChecksWithBranches_ApplicabilityAndForeignBranchIds()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync("One");
        var other = await domain.NewProjectAsync("Two");
        var branches = domain.Get<IProtectedBranchService>();
        var release = await branches.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), "release/*");
        var foreign = await branches.CreateAsync(domain.Admin, ProjectRef.ById(other.Id), "main");
        var checks = domain.Get<IStatusCheckService>();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("ci", "https://ci.example/", null, [release.Id, foreign.Id])));
        Assert.Equal(["all protected branches must exist within the project"], Assert.IsType<DomainError.RecordInvalid>(error.Error).Messages);

        var scoped = await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("release only", "https://ci.example/r", null, [release.Id]));
        Assert.Equal(release, Assert.Single(scoped.ProtectedBranches));
        await checks.CreateAsync(domain.Admin, ProjectRef.ById(project.Id), new NewStatusCheck("everything", "https://ci.example/all"));
        var onRelease = await domain.NewMergeRequestAsync(project, target: "release/1.2");
        var onMain = await domain.NewMergeRequestAsync(project, target: "main");

        Assert.Equal(["release only", "everything"], (await checks.ListForMergeRequestAsync(domain.Admin, ProjectRef.ById(project.Id), onRelease.Iid, PageRequest.Default)).Items.Select(c => c.Name));
        Assert.Equal(["everything"], (await checks.ListForMergeRequestAsync(domain.Admin, ProjectRef.ById(project.Id), onMain.Iid, PageRequest.Default)).Items.Select(c => c.Name));

        // Any check of the project may be answered (as GitLab); the MR still lists only the checks that apply.
        var answered = await checks.RespondAsync(domain.Admin, ProjectRef.ById(project.Id), onMain.Iid, new NewStatusCheckResponse(onMain.Sha, scoped.Id, CheckStatuses.Failed));
        Assert.Equal((scoped.Id, CheckStatuses.Failed), (answered.ExternalStatusCheck.Id, answered.Status));
        Assert.Equal(["everything"], (await checks.ListForMergeRequestAsync(domain.Admin, ProjectRef.ById(project.Id), onMain.Iid, PageRequest.Default)).Items.Select(c => c.Name));
    }

    [Fact]
    public async Task UsersTokensMembers_RoundTripThroughAuthentication()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync("Team Project");
        var users = domain.Get<IUserService>();
        var jane = await users.CreateAsync(domain.Admin, new NewUser("jane", "Jane", "jane@example.com"));
        Assert.IsType<DomainError.Conflict>((await Assert.ThrowsAsync<DomainException>(() => users.CreateAsync(domain.Admin, new NewUser("JANE", "Other", "other@example.com")))).Error);
        var readToken = await users.CreateTokenAsync(domain.Admin, jane.Id, new NewPersonalAccessToken("read", ["read_api"], null));
        var writeToken = await users.CreateTokenAsync(domain.Admin, jane.Id, new NewPersonalAccessToken("write", ["api"], null));
        var auth = domain.Get<IAuthenticator>();
        var reader = await auth.AuthenticateAsync(readToken.Token);
        var writer = await auth.AuthenticateAsync(writeToken.Token);
        Assert.True((await auth.AuthenticateAsync(TestDomain.AdminToken)).IsAdmin);
        var projects = domain.Get<IProjectService>();

        // Not a member yet: the project is invisible, by id and by path.
        Assert.Equal(new DomainError.NotFound("Project"), (await Assert.ThrowsAsync<DomainException>(() => projects.GetAsync(reader, ProjectRef.ById(project.Id)))).Error);
        var members = domain.Get<IMemberService>();
        await members.AddAsync(domain.Admin, ProjectRef.ById(project.Id), new NewMember(jane.Id, (int)AccessLevel.Developer));
        Assert.Equal(new DomainError.Conflict("Member already exists"), (await Assert.ThrowsAsync<DomainException>(() => members.AddAsync(domain.Admin, ProjectRef.ById(project.Id), new NewMember(jane.Id, 30)))).Error);

        Assert.True(ProjectRef.TryParse("ROOT%2Fteam-project", out var byPath));
        Assert.Equal(project.Id, (await projects.GetAsync(reader, byPath)).Id);
        Assert.IsType<DomainError.Forbidden>((await Assert.ThrowsAsync<DomainException>(() => domain.NewMergeRequestAsyncAs(reader, project))).Error);
        Assert.Equal(1, (await domain.NewMergeRequestAsyncAs(writer, project)).Iid);
        Assert.IsType<DomainError.Forbidden>((await Assert.ThrowsAsync<DomainException>(() => projects.UpdateAsync(writer, ProjectRef.ById(project.Id), new ProjectChanges(true)))).Error);
        var listed = await members.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Default);
        Assert.Equal(("jane", 30, 1L), (Assert.Single(listed.Items).Username, listed.Items[0].AccessLevel, listed.Total));

        await members.RemoveAsync(domain.Admin, ProjectRef.ById(project.Id), jane.Id);
        Assert.Equal(0, (await members.ListAsync(domain.Admin, ProjectRef.ById(project.Id), PageRequest.Default)).Total);
        Assert.IsType<DomainError.NotFound>((await Assert.ThrowsAsync<DomainException>(() => projects.GetAsync(writer, ProjectRef.ById(project.Id)))).Error);
    }

    [Fact]
    public async Task ListMergeRequests_FilteredAndUnfiltered_NewestFirstPagesAndTotals()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        var mergeRequests = domain.Get<IMergeRequestService>();
        for (var i = 1; i <= 7; i++)
        {
            await domain.NewMergeRequestAsync(project, target: i % 2 == 0 ? "main" : "release");
        }

        await mergeRequests.UpdateAsync(domain.Admin, id, 3, new MergeRequestChanges(StateEvent: "close"));
        await mergeRequests.MergeAsync(domain.Admin, id, 6, null);

        // "iids in order / total", e.g. "7,6,5/7".
        async Task<string> ListAsync(MergeRequestQuery query, int page, int perPage)
        {
            var result = await mergeRequests.ListAsync(domain.Admin, id, query, PageRequest.Create(page, perPage));
            return string.Join(',', result.Items.Select(mr => mr.Iid)) + "/" + result.Total;
        }

        Assert.Equal("7,6,5/7", await ListAsync(new MergeRequestQuery(), 1, 3));
        Assert.Equal("4,3,2/7", await ListAsync(new MergeRequestQuery(), 2, 3));
        Assert.Equal("1/7", await ListAsync(new MergeRequestQuery(), 3, 3));
        Assert.Equal("/7", await ListAsync(new MergeRequestQuery(), 4, 3));
        Assert.Equal("4,5,6/7", await ListAsync(new MergeRequestQuery(Sort: "asc"), 2, 3));
        Assert.Equal("7,5,4/5", await ListAsync(new MergeRequestQuery("opened"), 1, 3));
        Assert.Equal("2,1/5", await ListAsync(new MergeRequestQuery("opened"), 2, 3));
        Assert.Equal("1,2,4/5", await ListAsync(new MergeRequestQuery("opened", Sort: "asc"), 1, 3));
        Assert.Equal("7,5/3", await ListAsync(new MergeRequestQuery("opened", "release"), 1, 2));
        Assert.Equal("1/3", await ListAsync(new MergeRequestQuery("opened", "release"), 2, 2));
        Assert.Equal("6/1", await ListAsync(new MergeRequestQuery("merged"), 1, 20));
        Assert.Equal("3/1", await ListAsync(new MergeRequestQuery("closed", SourceBranch: "feature"), 1, 20));
        Assert.Equal("/0", await ListAsync(new MergeRequestQuery(SourceBranch: "other"), 1, 20));
    }

    [Fact]
    public async Task Users_FirstCreatedIsId2AndId1IsTheStoredAdministrator()
    {
        await using var domain = azurite.CreateDomain();
        var users = domain.Get<IUserService>();
        var jane = await users.CreateAsync(domain.Admin, new NewUser("jane", "Jane", "jane@example.com"));

        var admin = await users.GetAsync(domain.Admin, Administrator.UserId);
        var again = await users.GetCurrentAsync(domain.Admin);

        Assert.Equal(2, jane.Id);
        Assert.Equal((1L, "root"), (admin.Id, admin.Username));
        Assert.Equal((1L, admin.CreatedAt, (bool?)true), (again.Id, again.CreatedAt, again.IsAdmin));
        Assert.Equal("jane", (await users.GetAsync(domain.Admin, jane.Id)).Username);
    }
}

internal static class TestDomainExtensions
{
    public static Task<MergeRequest> NewMergeRequestAsyncAs(this TestDomain domain, Caller caller, Project project) =>
        domain.Get<IMergeRequestService>().CreateAsync(caller, ProjectRef.ById(project.Id), new NewMergeRequest("feature", "main", "Change", Sha.A));
}
