using Microsoft.Extensions.Options;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;
using StatusChecks.Core.Tests.Storage;

namespace StatusChecks.Core.Tests.Services;

public sealed class AccessCacheTests
{
    private readonly Mock<IProjectStore> projects = new();
    private readonly Mock<IMemberStore> members = new();

    public AccessCacheTests()
    {
        projects.Setup(p => p.GetAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(new ProjectEntity { Id = 7, Path = "demo", Namespace = "group" });
        members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>())).ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, AccessLevel = 30 });
    }

    [Fact]
    public async Task ResolveAsync_Twice_ProjectAndMembershipReadOnce()
    {
        using var cache = Cache(TimeSpan.FromSeconds(30));
        var access = new ProjectAccess(projects.Object, members.Object, TimeProvider.System, cache);

        await access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), write: false, CancellationToken.None);
        var role = await access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), write: false, CancellationToken.None);

        Assert.Equal(AccessLevel.Developer, role.Level);
        projects.Verify(p => p.GetAsync(7, It.IsAny<CancellationToken>()), Times.Once);
        members.Verify(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ResolveAsync_DurationZero_ReadsEveryTime()
    {
        using var cache = Cache(TimeSpan.Zero);
        var access = new ProjectAccess(projects.Object, members.Object, TimeProvider.System, cache);

        await access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), write: false, CancellationToken.None);
        await access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), write: false, CancellationToken.None);

        members.Verify(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ResolveAsync_NonMember_NotKept()
    {
        // Only what exists is kept: a member added on another instance is seen at once.
        using var cache = Cache(TimeSpan.FromSeconds(30));
        var access = new ProjectAccess(projects.Object, members.Object, TimeProvider.System, cache);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(new DomainError.NotFound("Project"), await DomainAssert.ThrowsAsync(() => access.ResolveAsync(Caller.User(4, ["api"]), ProjectRef.ById(7), false, CancellationToken.None)));
        }

        members.Verify(m => m.GetAsync(7, 4, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ForgetMember_NextLookupReadsTheStore()
    {
        using var cache = Cache(TimeSpan.FromSeconds(30));
        var access = new ProjectAccess(projects.Object, members.Object, TimeProvider.System, cache);
        await access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), write: false, CancellationToken.None);

        cache.ForgetMember(7, 3);
        members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>())).ReturnsAsync((MemberEntity?)null);

        Assert.Equal(new DomainError.NotFound("Project"), await DomainAssert.ThrowsAsync(() => access.ResolveAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), false, CancellationToken.None)));
    }

    [Fact]
    public async Task Authenticate_RevokedAfterCaching_StillCheckedOnTheCachedRow()
    {
        // The cached row is the one read; a token that expires while cached expires on time.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero));
        var users = new Mock<IUserStore>();
        users.Setup(u => u.FindTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TokenEntity { UserId = 3, Scopes = "api", ExpiresAt = "2026-11-25" });
        using var cache = Cache(TimeSpan.FromMinutes(5));
        var authenticator = new Authenticator(users.Object, Options.Create(new StatusChecksOptions()), time, cache);
        await authenticator.AuthenticateAsync("glpat-some-token");

        time.Advance(TimeSpan.FromHours(2));

        Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => authenticator.AuthenticateAsync("glpat-some-token")));
        users.Verify(u => u.FindTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private static AccessCache Cache(TimeSpan duration) => new(Options.Create(new StatusChecksOptions { AccessCacheDuration = duration }));
}

[Collection(AzuriteCollection.Name)]
public sealed class AccessCacheStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RemoveMember_SameInstance_LosesAccessAtOnce()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        var user = await domain.Get<IUserService>().CreateAsync(domain.Admin, new NewUser("dev", "Dev", "dev@example.com"));
        var members = domain.Get<IMemberService>();
        await members.AddAsync(domain.Admin, id, new NewMember(user.Id, 30));
        var caller = Caller.User(user.Id, ["api"]);
        await domain.Get<IProjectService>().GetAsync(caller, id); // cached now

        await members.RemoveAsync(domain.Admin, id, user.Id);

        Assert.Equal(new DomainError.NotFound("Project"), await DomainAssert.ThrowsAsync(() => domain.Get<IProjectService>().GetAsync(caller, id)));
    }

    [Fact]
    public async Task UpdateMemberRole_SameInstance_NewRoleAtOnce()
    {
        await using var domain = azurite.CreateDomain();
        var project = await domain.NewProjectAsync();
        var id = ProjectRef.ById(project.Id);
        var user = await domain.Get<IUserService>().CreateAsync(domain.Admin, new NewUser("dev", "Dev", "dev@example.com"));
        var members = domain.Get<IMemberService>();
        await members.AddAsync(domain.Admin, id, new NewMember(user.Id, 40));
        var caller = Caller.User(user.Id, ["api"]);
        await domain.Get<IStatusCheckService>().ListAsync(caller, id, PageRequest.Default); // Maintainer: allowed, cached

        await members.UpdateAsync(domain.Admin, id, user.Id, new MemberChanges(20));

        Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => domain.Get<IStatusCheckService>().ListAsync(caller, id, PageRequest.Default)));
    }
}
