using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

/// <summary>Project memberships: adding, reading, changing (levels, expiry) and removing members, and who may.</summary>
public sealed class MemberServiceTests
{
    private static readonly Caller Maintainer = Caller.User(9, ["api"]);
    private readonly Harness h = new();

    public MemberServiceTests() =>
        h.Users.Setup(u => u.GetAsync(3, It.IsAny<CancellationToken>())).ReturnsAsync(new UserEntity { Id = 3, Username = "jane", Name = "Jane" });

    [Fact]
    public async Task AddMemberAsync_OwnerByMaintainer_Forbidden() =>
        Assert.IsType<DomainError.Forbidden>(
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.User(9, ["api"]), ProjectRef.ById(7), new NewMember(3, 50))));

    [Fact]
    public async Task AddMemberAsync_OwnerByAdmin_Added()
    {
        var member = await h.MemberService().AddAsync(Caller.Admin, ProjectRef.ById(7), new NewMember(3, 50));

        Assert.Equal((3L, "jane", 50), (member.Id, member.Username, member.AccessLevel));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(60)]
    public async Task AddMemberAsync_UnknownAccessLevel_InvalidParameter(int level) =>
        Assert.Equal(
            new DomainError.InvalidParameter("access_level"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, ProjectRef.ById(7), new NewMember(3, level))));

    [Fact]
    public async Task AddMemberAsync_Duplicate_ConflictMemberAlreadyExists()
    {
        h.Members.Setup(m => m.AddAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(new DuplicateKeyException("user_id"));

        Assert.Equal(
            new DomainError.Conflict("Member already exists"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, ProjectRef.ById(7), new NewMember(3, 30))));
    }

    [Fact]
    public async Task AddMemberAsync_UnknownUser_NotFoundUser() =>
        Assert.Equal(
            new DomainError.NotFound("User"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, ProjectRef.ById(7), new NewMember(99, 30))));

    [Fact]
    public async Task RemoveMemberAsync_OwnerByMaintainer_Forbidden()
    {
        h.Members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>())).ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, AccessLevel = 50 });

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.MemberService().RemoveAsync(Caller.User(9, ["api"]), ProjectRef.ById(7), 3)));
        h.Members.Verify(m => m.RemoveAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetMemberAsync_NotAMember_RecordNotFound() =>
        Assert.IsType<DomainError.RecordNotFound>(await DomainAssert.ThrowsAsync(() => h.MemberService().GetAsync(Maintainer, ProjectRef.ById(7), 3)));

    [Fact]
    public async Task UpdateMemberAsync_LevelAndExpiry_StoredAndShown()
    {
        GivenMember(30, expiresAt: "2027-01-31");
        MemberEntity? written = null;
        h.Members.Setup(m => m.UpdateAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()))
            .Callback<MemberEntity, CancellationToken>((m, _) => written = m)
            .ReturnsAsync((MemberEntity m, CancellationToken _) => m);

        var levelOnly = await h.MemberService().UpdateAsync(Maintainer, ProjectRef.ById(7), 3, new MemberChanges(20));
        var both = await h.MemberService().UpdateAsync(Maintainer, ProjectRef.ById(7), 3, new MemberChanges(40, new DateOnly(2026, 11, 25)));

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

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Maintainer, ProjectRef.ById(7), 3, new MemberChanges(to))));
        h.Members.Verify(m => m.UpdateAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null, typeof(DomainError.MissingParameter))]
    [InlineData(35, typeof(DomainError.InvalidParameter))]
    [InlineData(0, typeof(DomainError.InvalidParameter))]
    public async Task UpdateMemberAsync_BadLevel_Refused(int? level, Type error)
    {
        GivenMember(30);

        Assert.IsType(error, await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 3, new MemberChanges(level))));
    }

    [Fact]
    public async Task UpdateMemberAsync_ExpiryInThePast_ValidationFailed()
    {
        GivenMember(30);

        var error = await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 3, new MemberChanges(30, new DateOnly(2026, 11, 24))));

        Assert.Equal(["cannot be a date in the past"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["expires_at"]);
    }

    [Fact]
    public async Task UpdateMemberAsync_NotAMember_RecordNotFound() =>
        Assert.IsType<DomainError.RecordNotFound>(await DomainAssert.ThrowsAsync(() => h.MemberService().UpdateAsync(Caller.Admin, ProjectRef.ById(7), 3, new MemberChanges(30))));

    private void GivenMember(int level, string? expiresAt = null) =>
        h.Members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, Username = "jane", Name = "Jane", AccessLevel = level, CreatedAt = Harness.Now, ExpiresAt = expiresAt });
}
