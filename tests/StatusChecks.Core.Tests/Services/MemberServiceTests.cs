using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Services;

/// <summary>The supporting routes' rules: current user and the administrator, memberships, MR lists, merged MRs.</summary>
public sealed class RouteServicesTests
{
    private static readonly Caller Maintainer = Caller.User(9, ["api"]);
    private readonly Harness h = new();

    [Fact]
    public void FirstId_Users_StartAfterTheAdministrator()
    {
        Assert.Equal(2, BlockIdGenerator.FirstId(IdKind.User));
        Assert.Equal(1, BlockIdGenerator.FirstId(IdKind.Project));
        Assert.Equal(Administrator.UserId, Caller.Admin.UserId);
        Assert.Equal("admin", Caller.Admin.Actor);
    }

    [Fact]
    public async Task GetCurrentAsync_AdminFirstTime_StoresTheAdministratorOnce()
    {
        h.Users.Setup(u => u.GetOrAddAsync(It.IsAny<UserEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((UserEntity u, CancellationToken _) => u);

        var admin = await h.UserService().GetCurrentAsync(Caller.Admin);

        Assert.Equal((1L, "root", "Administrator", true, (string?)null, Harness.Now), (admin.Id, admin.Username, admin.Name, admin.IsAdmin, admin.Email, admin.CreatedAt));
        h.Users.Verify(u => u.GetOrAddAsync(It.Is<UserEntity>(e => e.Id == 1 && e.IsAdmin && e.Username == "root"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetCurrentAsync_AdminStored_ReadsItWithoutWriting()
    {
        var createdAt = Harness.Now.AddDays(-3);
        h.Users.Setup(u => u.GetAsync(1, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserEntity { Id = 1, Username = "root", Name = "Administrator", IsAdmin = true, CreatedAt = createdAt });

        var admin = await h.UserService().GetCurrentAsync(Caller.Admin);

        Assert.Equal(createdAt, admin.CreatedAt);
        h.Users.Verify(u => u.GetOrAddAsync(It.IsAny<UserEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetCurrentAsync_User_OwnAccountWithoutIsAdmin()
    {
        h.Users.Setup(u => u.GetAsync(3, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserEntity { Id = 3, Username = "jane", Name = "Jane", Email = "jane@example.com", CreatedAt = Harness.Now });

        var user = await h.UserService().GetCurrentAsync(Caller.User(3, ["read_api"]));

        Assert.Equal((3L, "jane", "jane@example.com", "jane@example.com", (bool?)null, false), (user.Id, user.Username, user.Email, user.CommitEmail, user.IsAdmin, user.CanCreateProject));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(404)]
    public async Task GetAsync_UnknownUser_NotFoundUser(long id) =>
        Assert.Equal(new DomainError.NotFound("User"), await DomainAssert.ThrowsAsync(() => h.UserService().GetAsync(Maintainer, id)));

    [Fact]
    public async Task CreateAsync_AdministratorsUsername_ConflictAndNothingStored()
    {
        Assert.Equal(
            new DomainError.Conflict("Username has already been taken"),
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateAsync(Caller.Admin, new NewUser("Root", "R", "r@example.com"))));
        h.Users.Verify(u => u.CreateAsync(It.IsAny<UserEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetMemberAsync_NotAMember_RecordNotFound() =>
        Assert.IsType<DomainError.RecordNotFound>(await DomainAssert.ThrowsAsync(() => h.MemberService().GetAsync(Maintainer, "7", 3)));

    [Fact]
    public async Task UpdateMemberAsync_LevelAndExpiry_StoredAndShown()
    {
        GivenMember(30, expiresAt: "2027-01-31");
        MemberEntity? written = null;
        h.Members.Setup(m => m.UpdateAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()))
            .Callback<MemberEntity, CancellationToken>((m, _) => written = m)
            .ReturnsAsync((MemberEntity m, CancellationToken _) => m);

        var levelOnly = await h.MemberService().UpdateAsync(Maintainer, "7", 3, new MemberChanges(20));
        var both = await h.MemberService().UpdateAsync(Maintainer, "7", 3, new MemberChanges(40, new DateOnly(2026, 11, 25)));

        Assert.Equal((20, (DateOnly?)new DateOnly(2027, 1, 31)), (levelOnly.AccessLevel, levelOnly.ExpiresAt));
        Assert.Equal((40, (DateOnly?)new DateOnly(2026, 11, 25)), (both.AccessLevel, both.ExpiresAt));
        Assert.Equal("2026-11-25", written!.ExpiresAt);
    }

    [Theory]
    [InlineData(30, 50)] // making an Owner
    [InlineData(50, 30)] // changing an Owner
    public async Task UpdateMemberAsync_OwnerByMaintainer_ForbiddenAndNothingWritten(int from, int to)
    {
        GivenMember(from);

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Maintainer, "7", 3, new MemberChanges(to))));
        h.Members.Verify(m => m.UpdateAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null, typeof(DomainError.MissingParameter))]
    [InlineData(35, typeof(DomainError.InvalidParameter))]
    [InlineData(0, typeof(DomainError.InvalidParameter))]
    public async Task UpdateMemberAsync_BadLevel_Refused(int? level, Type error)
    {
        GivenMember(30);

        Assert.IsType(error, await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, "7", 3, new MemberChanges(level))));
    }

    [Fact]
    public async Task UpdateMemberAsync_ExpiryInThePast_ValidationFailed()
    {
        GivenMember(30);

        var error = await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, "7", 3, new MemberChanges(30, new DateOnly(2026, 11, 24))));

        Assert.Equal(["cannot be a date in the past"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["expires_at"]);
    }

    [Fact]
    public async Task UpdateMemberAsync_NotAMember_RecordNotFound() =>
        Assert.IsType<DomainError.RecordNotFound>(await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, "7", 3, new MemberChanges(30))));

    [Theory]
    [InlineData(Sha.B, null, null)]
    [InlineData(null, "release", null)]
    [InlineData(null, null, "reopen")]
    [InlineData(null, null, "close")]
    public async Task UpdateAsync_MergedRewritten_NotAllowedAndNothingWritten(string? sha, string? target, string? stateEvent)
    {
        h.GivenMergeRequest(state: MergeRequestStates.Merged);
        var changes = new MergeRequestChanges(Title: "Renamed", TargetBranch: target, Sha: sha, StateEvent: stateEvent);

        Assert.IsType<DomainError.NotAllowed>(await DomainAssert.ThrowsAsync(() => h.MergeRequestService().UpdateAsync(Caller.Admin, "7", 1, changes)));
        h.MergeRequests.Verify(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Events.Verify(e => e.PublishAsync(It.IsAny<MergeRequestEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateAsync_MergedTitleWithSameShaAndTarget_Allowed()
    {
        h.GivenMergeRequest(state: MergeRequestStates.Merged);
        h.MergeRequests.Setup(m => m.UpdateAsync(It.IsAny<MergeRequestEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync((MergeRequestEntity m, CancellationToken _) => m);

        var mr = await h.MergeRequestService().UpdateAsync(Caller.Admin, "7", 1, new MergeRequestChanges(Title: "Renamed", TargetBranch: "main", Sha: Sha.A));

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

        await h.MergeRequestService().ListAsync(Caller.Admin, "7", new MergeRequestQuery(state, " ", "", sort), PageRequest.Default);

        h.MergeRequests.Verify(m => m.ListAsync(7, state == "all" ? null : state, null, null, descending, PageRequest.Default, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListAsync_Locked_EmptyWithoutReading()
    {
        var page = await h.MergeRequestService().ListAsync(Caller.Admin, "7", new MergeRequestQuery("locked"), PageRequest.Default);

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
            await DomainAssert.ThrowsAsync(() => h.MergeRequestService().ListAsync(Caller.Admin, "7", new MergeRequestQuery(state, Sort: sort), PageRequest.Default)));

    [Fact]
    public async Task ListAsync_FlagOff_NoCheckStatusIsRead()
    {
        var open = h.GivenMergeRequest();
        h.MergeRequests.Setup(m => m.ListAsync(7, null, null, null, true, It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<MergeRequestEntity>([open, open with { Iid = 2, State = MergeRequestStates.Closed }], 1, 20, 2));

        var page = await h.MergeRequestService().ListAsync(Caller.Admin, "7", new MergeRequestQuery(), PageRequest.Default);

        Assert.Equal([DetailedMergeStatuses.Mergeable, DetailedMergeStatuses.NotOpen], page.Items.Select(mr => mr.DetailedMergeStatus));
        h.Checks.Verify(c => c.ListAllAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Responses.Verify(r => r.ReadAsync(It.IsAny<long>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void GivenMember(int level, string? expiresAt = null) =>
        h.Members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, Username = "jane", Name = "Jane", AccessLevel = level, CreatedAt = Harness.Now, ExpiresAt = expiresAt });
}

public sealed class MembershipExpiryTests
{
    private readonly Mock<IProjectStore> projects = new();
    private readonly Mock<IMemberStore> members = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider time = new(Harness.Now);

    public MembershipExpiryTests() =>
        projects.Setup(p => p.GetAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(new ProjectEntity { Id = 7, Path = "demo", Namespace = "root" });

    [Theory]
    [InlineData(null, true)]
    [InlineData("2026-11-26", true)] // expires tomorrow: still a member today
    [InlineData("2026-11-25", false)] // GitLab removes the membership on its expiry date
    [InlineData("2026-11-01", false)]
    public async Task RequireAsync_MemberWithExpiry_ExpiredIsNoMember(string? expiresAt, bool allowed)
    {
        members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, AccessLevel = 40, ExpiresAt = expiresAt });
        var access = new ProjectAccess(projects.Object, members.Object, time, AccessCache.Disabled);

        var attempt = () => access.RequireAsync(Caller.User(3, ["api"]), "7", AccessLevel.Guest, write: false, CancellationToken.None);

        if (allowed)
        {
            Assert.Equal(7, (await attempt()).Id);
        }
        else
        {
            Assert.Equal(new DomainError.NotFound("Project"), await DomainAssert.ThrowsAsync(attempt));
        }
    }
}
