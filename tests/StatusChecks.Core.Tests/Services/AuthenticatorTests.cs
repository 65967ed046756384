using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

public sealed class AuthenticatorTests
{
    private const string UserToken = "glpat-user-token";
    private readonly Mock<IUserStore> users = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero));

    [Fact]
    public async Task AuthenticateAsync_AdminToken_Admin()
    {
        var caller = await Authenticator().AuthenticateAsync("admin-secret");

        Assert.True(caller.IsAdmin);
        Assert.True(caller.CanWrite);
        users.Verify(u => u.FindTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("admin-secreT")]
    public async Task AuthenticateAsync_MissingOrUnknown_Unauthorized(string? token) =>
        Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => Authenticator().AuthenticateAsync(token)));

    [Fact]
    public async Task AuthenticateAsync_NoAdminConfigured_AdminTokenIsJustUnknown() =>
        Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => Authenticator(adminToken: null).AuthenticateAsync("admin-secret")));

    [Fact]
    public async Task AuthenticateAsync_UserToken_LooksUpBySha256AndCarriesScopes()
    {
        GivenToken(new TokenEntity { UserId = 42, Scopes = "read_api" });

        var caller = await Authenticator().AuthenticateAsync(UserToken);

        Assert.Equal(Caller.User(42, ["read_api"]).UserId, caller.UserId);
        Assert.Equal(["read_api"], caller.Scopes);
        Assert.False(caller.IsAdmin);
        Assert.False(caller.CanWrite);
        users.Verify(u => u.FindTokenAsync(TokenHasher.Hash(UserToken), It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData("2026-11-25", true)]
    [InlineData("2026-11-26", true)]
    [InlineData("2026-11-24", false)]
    public async Task AuthenticateAsync_ExpiresAt_ValidThroughThatDayUtc(string expiresAt, bool valid)
    {
        GivenToken(new TokenEntity { UserId = 42, Scopes = "api", ExpiresAt = expiresAt });

        if (valid)
        {
            Assert.Equal(42, (await Authenticator().AuthenticateAsync(UserToken)).UserId);
        }
        else
        {
            Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => Authenticator().AuthenticateAsync(UserToken)));
        }
    }

    [Fact]
    public async Task AuthenticateAsync_Revoked_Unauthorized()
    {
        GivenToken(new TokenEntity { UserId = 42, Scopes = "api", Revoked = true });

        Assert.IsType<DomainError.Unauthorized>(await DomainAssert.ThrowsAsync(() => Authenticator().AuthenticateAsync(UserToken)));
    }

    private void GivenToken(TokenEntity token) =>
        users.Setup(u => u.FindTokenAsync(TokenHasher.Hash(UserToken), It.IsAny<CancellationToken>())).ReturnsAsync(token);

    private Authenticator Authenticator(string? adminToken = "admin-secret") =>
        new(users.Object, Options.Create(new StatusChecksOptions { AdminToken = adminToken }), time, AccessCache.Disabled);
}

public sealed class ProjectAccessTests
{
    private static readonly ProjectEntity Project = new() { Id = 7, Path = "demo", Namespace = "group" };
    private readonly Mock<IProjectStore> projects = new();
    private readonly Mock<IMemberStore> members = new();

    public ProjectAccessTests()
    {
        projects.Setup(p => p.GetAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(Project);
        projects.Setup(p => p.FindByPathAsync("group/demo", It.IsAny<CancellationToken>())).ReturnsAsync(Project);
    }

    [Theory]
    [InlineData(AccessLevel.Reporter, AccessLevel.Reporter)]
    [InlineData(AccessLevel.Maintainer, AccessLevel.Developer)]
    [InlineData(AccessLevel.Owner, AccessLevel.Maintainer)]
    public async Task RequireAsync_RoleAtLeastRequired_Project(AccessLevel role, AccessLevel required)
    {
        GivenMember(5, role);

        Assert.Same(Project, await Access().RequireAsync(Caller.User(5, ["api"]), ProjectRef.ById(7), required, write: true, CancellationToken.None));
    }

    [Theory]
    [InlineData(AccessLevel.Guest, AccessLevel.Reporter)]
    [InlineData(AccessLevel.Reporter, AccessLevel.Developer)]
    [InlineData(AccessLevel.Developer, AccessLevel.Maintainer)]
    public async Task RequireAsync_RoleBelowRequired_Forbidden(AccessLevel role, AccessLevel required)
    {
        GivenMember(5, role);

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => Access().RequireAsync(Caller.User(5, ["api"]), ProjectRef.ById(7), required, write: false, CancellationToken.None)));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("8")]
    [InlineData("-1")]
    [InlineData("group%2Fmissing")]
    [InlineData("no-namespace")]
    [InlineData("group/#bad")]
    public async Task RequireAsync_NonMemberOrMissingOrMalformed_NotFoundProject(string value)
    {
        Assert.True(ProjectRef.TryParse(value, out var projectRef)); // what the edge refuses (0, overflow) is in ProjectRefTests
        Assert.Equal(
            new DomainError.NotFound("Project"),
            await DomainAssert.ThrowsAsync(() => Access().RequireAsync(Caller.User(5, ["api"]), projectRef, AccessLevel.Guest, write: false, CancellationToken.None)));
    }

    [Theory]
    [InlineData("group%2Fdemo")]
    [InlineData("group/demo")]
    public async Task RequireAsync_EncodedOrDecodedPath_FoundByPath(string value)
    {
        Assert.True(ProjectRef.TryParse(value, out var projectRef));
        Assert.Same(Project, await Access().RequireAsync(Caller.Admin, projectRef, AccessLevel.Owner, write: true, CancellationToken.None));
    }

    [Fact]
    public async Task RequireAsync_ReadApiTokenOnWrite_ForbiddenBeforeLookup()
    {
        GivenMember(5, AccessLevel.Owner);

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => Access().RequireAsync(Caller.User(5, ["read_api"]), ProjectRef.ById(7), AccessLevel.Guest, write: true, CancellationToken.None)));
        projects.Verify(p => p.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RequireAsync_ReadApiTokenOnRead_Allowed()
    {
        GivenMember(5, AccessLevel.Guest);

        Assert.Same(Project, await Access().RequireAsync(Caller.User(5, ["read_api"]), ProjectRef.ById(7), AccessLevel.Guest, write: false, CancellationToken.None));
    }

    [Fact]
    public async Task RequireAsync_Admin_EverythingWithoutMembership()
    {
        Assert.Same(Project, await Access().RequireAsync(Caller.Admin, ProjectRef.ById(7), AccessLevel.Owner, write: true, CancellationToken.None));
        members.Verify(m => m.GetAsync(It.IsAny<long>(), It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void GivenMember(long userId, AccessLevel level) =>
        members.Setup(m => m.GetAsync(7, userId, It.IsAny<CancellationToken>())).ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = userId, AccessLevel = (int)level });

    private ProjectAccess Access() => new(projects.Object, members.Object, TimeProvider.System, AccessCache.Disabled);
}
