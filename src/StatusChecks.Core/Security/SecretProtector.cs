using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Security;

/// <summary>Encrypts shared secrets at rest; only the notification sender ever decrypts them.</summary>
public interface ISecretProtector
{
    /// <summary>Throws <see cref="DomainException"/> (Unprocessable) when no key is configured.</summary>
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}

/// <summary>AES-256-GCM with the key <c>StatusChecks:SecretsKey</c>; output "v1." + base64(nonce | tag | ciphertext).</summary>
internal sealed class AesGcmSecretProtector(IOptions<StatusChecksOptions> options) : ISecretProtector
{
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(string secret)
    {
        var key = Key() ?? throw new DomainException(new DomainError.Unprocessable(
            "shared_secret cannot be stored: the server has no secrets key configured"));
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Version + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedSecret)
    {
        var key = Key() ?? throw new InvalidOperationException("StatusChecks:SecretsKey is not configured.");
        if (!protectedSecret.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown protected secret format.");
        }

        var input = Convert.FromBase64String(protectedSecret[Version.Length..]);
        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }

    private byte[]? Key() => options.Value.SecretsKey is { Length: > 0 } key ? Convert.FromBase64String(key) : null;

    /// <summary>Options validation: unset, or base64 of exactly 32 bytes.</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return true;
        }

        var buffer = new byte[48];
        return Convert.TryFromBase64String(key, buffer, out var written) && written == 32;
    }
}
