using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Security;

namespace StatusChecks.Core.Tests.Security;

/// <summary>Secrets encrypted at rest (AES-GCM with key ids and rotation).</summary>
public sealed class SecretProtectorTests
{
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
        var parts = protector.Protect("secret").Split('.');
        var bytes = Convert.FromBase64String(parts[2]);
        bytes[^1] ^= 1;

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect($"{parts[0]}.{parts[1]}.{Convert.ToBase64String(bytes)}"));
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

    [Fact]
    public void Protect_CurrentKey_NamesItsKeyId()
    {
        var key = Key(1);

        var protectedSecret = Protector(key).Protect("secret");

        Assert.StartsWith($"v2.{AesGcmSecretProtector.KeyId(Convert.FromBase64String(key))}.", protectedSecret, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_AfterRotation_OldSecretsDecryptWithThePreviousKeyAndNewOnesUseTheNewKey()
    {
        var (oldKey, newKey) = (Key(1), Key(2));
        var written = Protector(oldKey).Protect("old-secret");
        var rotated = Protector(newKey, oldKey);

        var rewritten = rotated.Protect("new-secret");

        Assert.Equal("old-secret", rotated.Unprotect(written));
        Assert.Equal("new-secret", rotated.Unprotect(rewritten));
        Assert.Equal("new-secret", Protector(newKey).Unprotect(rewritten));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => Protector(newKey).Unprotect(written));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unprotect_StoredBeforeKeyIds_DecryptsWithTheCurrentOrAPreviousKey(bool rotatedSince)
    {
        var key = Key(3);
        var legacy = LegacyProtect(key, "legacy-secret");
        var protector = rotatedSince ? Protector(Key(4), Key(5), key) : Protector(key);

        Assert.Equal("legacy-secret", protector.Unprotect(legacy));
    }

    [Fact]
    public void Unprotect_KeyIdOfNoConfiguredKey_ThrowsNamingTheIdOnly()
    {
        var written = Protector(Key(6)).Protect("secret");

        var error = Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Protector(Key(7), Key(8)).Unprotect(written));

        Assert.Contains(AesGcmSecretProtector.KeyId(Convert.FromBase64String(Key(6))), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key(6), error.Message, StringComparison.Ordinal);
    }

    private static AesGcmSecretProtector Protector(string? key, params string[] previous) =>
        new(Options.Create(new StatusChecksOptions { SecretsKey = key, PreviousSecretsKeys = [.. previous] }));

    private static string Key(byte seed) => Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * seed + seed)).ToArray());

    /// <summary>The format before key ids: "v1." + base64(nonce | tag | ciphertext).</summary>
    private static string LegacyProtect(string key, string secret)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(secret);
        var output = new byte[12 + 16 + plaintext.Length];
        System.Security.Cryptography.RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new System.Security.Cryptography.AesGcm(Convert.FromBase64String(key), 16);
        aes.Encrypt(output.AsSpan(0, 12), plaintext, output.AsSpan(28), output.AsSpan(12, 16));
        return "v1." + Convert.ToBase64String(output);
    }
}
