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
