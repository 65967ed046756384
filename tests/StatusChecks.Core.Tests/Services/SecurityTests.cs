using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;

namespace StatusChecks.Core.Tests.Services;

public sealed class SecurityTests
{
    [Fact]
    public void NewToken_Generated_PrefixedUniqueAndAtLeast32RandomBytes()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => TokenHasher.NewToken()).ToList();

        Assert.All(tokens, t => Assert.StartsWith("glpat-", t, StringComparison.Ordinal));
        Assert.All(tokens, t => Assert.Equal(43, t.Length - "glpat-".Length)); // base64url of 32 bytes
        Assert.Equal(100, tokens.Distinct().Count());
    }

    [Fact]
    public void Hash_Token_LowerHexSha256() =>
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", TokenHasher.Hash("test"));

    [Fact]
    public void Protect_RoundTrip_SecretNotInCiphertextAndRandomised()
    {
        var protector = Protector(Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

        var first = protector.Protect("s3cret-value");
        var second = protector.Protect("s3cret-value");

        Assert.DoesNotContain("s3cret", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal("s3cret-value", protector.Unprotect(first));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_Throws()
    {
        var protector = Protector(Convert.ToBase64String(new byte[32]));
        var bytes = Convert.FromBase64String(protector.Protect("secret")["v1.".Length..]);
        bytes[^1] ^= 1;

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect("v1." + Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Protect_NoKeyConfigured_Unprocessable() =>
        Assert.IsType<DomainError.Unprocessable>(Assert.Throws<DomainException>(() => Protector(null).Protect("secret")).Error);

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", false)]
    [InlineData("not base64!", false)]
    public void IsValidKey_Base64Of32Bytes(string? key, bool valid) => Assert.Equal(valid, AesGcmSecretProtector.IsValidKey(key));

    private static AesGcmSecretProtector Protector(string? key) => new(Options.Create(new StatusChecksOptions { SecretsKey = key }));
}
