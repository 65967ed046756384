using Moq;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;
using StatusChecks.Core.Storage.Tables;

namespace StatusChecks.Core.Tests.Services;

/// <summary>Users and their tokens: the administrator, creating users and personal access tokens, reading accounts.</summary>
public sealed class UserServiceTests
{
    private static readonly Caller Maintainer = Caller.User(9, ["api"]);
    private readonly Harness h = new();

    public UserServiceTests() =>
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
}
