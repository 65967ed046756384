using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

/// <summary>Who may see and change a project: members by level (a membership ends on its expiry date), the rest 404.</summary>
public sealed class ProjectAccessTests
{
    private static readonly ProjectEntity Project = new() { Id = 7, Path = "demo", Namespace = "group" };
    private readonly Mock<IProjectStore> projects = new();
    private readonly Mock<IMemberStore> members = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider time = new(Harness.Now);

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

        var attempt = () => access.RequireAsync(Caller.User(3, ["api"]), ProjectRef.ById(7), AccessLevel.Guest, write: false, CancellationToken.None);

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
