using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

public sealed class AccountServiceTests
{
    private readonly Harness h = new();

    public AccountServiceTests() =>
        h.Users.Setup(u => u.GetAsync(3, It.IsAny<CancellationToken>())).ReturnsAsync(new UserEntity { Id = 3, Username = "jane", Name = "Jane" });

    [Fact]
    public async Task CreateTokenAsync_Valid_PlaintextOnceAndOnlyHashStored()
    {
        string? storedHash = null;
        TokenEntity? stored = null;
        h.Users.Setup(u => u.CreateTokenAsync(It.IsAny<string>(), It.IsAny<TokenEntity>(), It.IsAny<CancellationToken>()))
            .Callback<string, TokenEntity, CancellationToken>((hash, token, _) => (storedHash, stored) = (hash, token))
            .Returns(Task.CompletedTask);

        var token = await h.UserService().CreateTokenAsync(Caller.Admin, 3, new NewPersonalAccessToken("ci", ["api", "read_api", "api"], new DateOnly(2026, 11, 25)));

        Assert.Equal(TokenHasher.Hash(token.Token), storedHash);
        Assert.Equal(["api", "read_api"], token.Scopes);
        Assert.Equal(("api read_api", "2026-11-25", 3L), (stored!.Scopes, stored.ExpiresAt, stored.UserId));
        Assert.DoesNotContain(typeof(TokenEntity).GetProperties(), p => p.GetValue(stored) is string s && s.Contains(token.Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "scopes")]
    [InlineData(new string[0], "scopes")]
    public async Task CreateTokenAsync_NoScopes_MissingParameter(string[]? scopes, string parameter) =>
        Assert.Equal(
            new DomainError.MissingParameter(parameter),
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateTokenAsync(Caller.Admin, 3, new NewPersonalAccessToken("ci", scopes, null))));

    [Fact]
    public async Task CreateTokenAsync_UnknownScope_InvalidParameter() =>
        Assert.Equal(
            new DomainError.InvalidParameter("scopes"),
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateTokenAsync(Caller.Admin, 3, new NewPersonalAccessToken("ci", ["api", "sudo"], null))));

    [Fact]
    public async Task CreateTokenAsync_ExpiryInPast_ValidationFailed()
    {
        var error = await DomainAssert.ThrowsAsync(() => h.UserService().CreateTokenAsync(Caller.Admin, 3, new NewPersonalAccessToken("ci", ["api"], new DateOnly(2026, 11, 24))));

        Assert.Contains("expires_at", Assert.IsType<DomainError.ValidationFailed>(error).Errors);
    }

    [Fact]
    public async Task CreateTokenAsync_UnknownUser_NotFoundUser() =>
        Assert.Equal(
            new DomainError.NotFound("User"),
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateTokenAsync(Caller.Admin, 99, new NewPersonalAccessToken("ci", ["api"], null))));

    [Fact]
    public async Task CreateTokenAsync_NotAdmin_Forbidden() =>
        Assert.IsType<DomainError.Forbidden>(
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateTokenAsync(Caller.User(3, ["api"]), 3, new NewPersonalAccessToken("ci", ["api"], null))));

    [Theory]
    [InlineData("username", "Username has already been taken")]
    [InlineData("email", "Email has already been taken")]
    public async Task CreateUserAsync_Duplicate_ConflictAsGitLab(string field, string message)
    {
        h.Users.Setup(u => u.CreateAsync(It.IsAny<UserEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(new DuplicateKeyException(field));

        Assert.Equal(
            new DomainError.Conflict(message),
            await DomainAssert.ThrowsAsync(() => h.UserService().CreateAsync(Caller.Admin, new NewUser("jane", "Jane", "jane@example.com"))));
    }

    [Fact]
    public async Task AddMemberAsync_OwnerByMaintainer_Forbidden() =>
        Assert.IsType<DomainError.Forbidden>(
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.User(9, ["api"]), "7", new NewMember(3, 50))));

    [Fact]
    public async Task AddMemberAsync_OwnerByAdmin_Added()
    {
        var member = await h.MemberService().AddAsync(Caller.Admin, "7", new NewMember(3, 50));

        Assert.Equal((3L, "jane", 50), (member.Id, member.Username, member.AccessLevel));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(60)]
    public async Task AddMemberAsync_UnknownAccessLevel_InvalidParameter(int level) =>
        Assert.Equal(
            new DomainError.InvalidParameter("access_level"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, "7", new NewMember(3, level))));

    [Fact]
    public async Task AddMemberAsync_Duplicate_ConflictMemberAlreadyExists()
    {
        h.Members.Setup(m => m.AddAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(new DuplicateKeyException("user_id"));

        Assert.Equal(
            new DomainError.Conflict("Member already exists"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, "7", new NewMember(3, 30))));
    }

    [Fact]
    public async Task AddMemberAsync_UnknownUser_NotFoundUser() =>
        Assert.Equal(
            new DomainError.NotFound("User"),
            await DomainAssert.ThrowsAsync(() => h.MemberService().AddAsync(Caller.Admin, "7", new NewMember(99, 30))));

    [Fact]
    public async Task RemoveMemberAsync_OwnerByMaintainer_Forbidden()
    {
        h.Members.Setup(m => m.GetAsync(7, 3, It.IsAny<CancellationToken>())).ReturnsAsync(new MemberEntity { ProjectId = 7, UserId = 3, AccessLevel = 50 });

        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.MemberService().RemoveAsync(Caller.User(9, ["api"]), "7", 3)));
        h.Members.Verify(m => m.RemoveAsync(It.IsAny<MemberEntity>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateProjectAsync_NoPath_DerivedFromName()
    {
        var project = await h.ProjectService().CreateAsync(Caller.Admin, new NewProject("My Project", null));

        Assert.Equal(("my-project", "root/my-project", "http://localhost/root/my-project"), (project.Path, project.PathWithNamespace, project.WebUrl));
        h.Projects.Verify(p => p.CreateAsync(It.Is<ProjectEntity>(e => e.Path == "my-project" && e.Namespace == "root"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CreateProjectAsync_DuplicatePath_ValidationFailedPathTaken()
    {
        h.Projects.Setup(p => p.CreateAsync(It.IsAny<ProjectEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(new DuplicateKeyException("path"));

        var error = await DomainAssert.ThrowsAsync(() => h.ProjectService().CreateAsync(Caller.Admin, new NewProject("Demo", "demo", "group")));

        Assert.Equal(["has already been taken"], Assert.IsType<DomainError.ValidationFailed>(error).Errors["path"]);
    }

    [Fact]
    public async Task CreateProjectAsync_NotAdmin_Forbidden() =>
        Assert.IsType<DomainError.Forbidden>(await DomainAssert.ThrowsAsync(() => h.ProjectService().CreateAsync(Caller.User(3, ["api"]), new NewProject("Demo", null))));
}
