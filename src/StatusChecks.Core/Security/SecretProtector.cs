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

/// <summary>
/// AES-256-GCM with the key <c>StatusChecks:SecretsKey</c>. Output "v2.&lt;key id&gt;." + base64(nonce | tag |
/// ciphertext), the key id naming the key that encrypted it, so after a rotation a secret is decrypted with the
/// key it was written with (the current one or one of <c>StatusChecks:PreviousSecretsKeys</c>). Secrets written
/// before key ids ("v1." + base64) are tried with each configured key.
/// </summary>
internal sealed class AesGcmSecretProtector(IOptions<StatusChecksOptions> options) : ISecretProtector
{
    private const string Unversioned = "v1.";
    private const string Versioned = "v2.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(string secret)
    {
        var key = Decode(options.Value.SecretsKey) ?? throw new DomainException(new DomainError.Unprocessable(
            "shared_secret cannot be stored: the server has no secrets key configured"));
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return $"{Versioned}{KeyId(key)}.{Convert.ToBase64String(output)}";
    }

    public string Unprotect(string protectedSecret)
    {
        var keys = Keys();
        if (keys.Count == 0)
        {
            throw new InvalidOperationException("StatusChecks:SecretsKey is not configured.");
        }

        if (protectedSecret.StartsWith(Versioned, StringComparison.Ordinal))
        {
            var parts = protectedSecret[Versioned.Length..].Split('.', 2);
            var key = parts.Length == 2 ? keys.FirstOrDefault(k => KeyId(k) == parts[0]) : null;
            return key is null
                ? throw new CryptographicException($"No configured secrets key has id {(parts.Length == 2 ? parts[0] : "?")} (StatusChecks:SecretsKey, StatusChecks:PreviousSecretsKeys).")
                : Decrypt(key, Convert.FromBase64String(parts[1]));
        }

        if (!protectedSecret.StartsWith(Unversioned, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown protected secret format.");
        }

        // Written before key ids: the key that wrote it is one of those configured, most likely the current one.
        var input = Convert.FromBase64String(protectedSecret[Unversioned.Length..]);
        CryptographicException? last = null;
        foreach (var key in keys)
        {
            try
            {
                return Decrypt(key, input);
            }
            catch (CryptographicException e)
            {
                last = e;
            }
        }

        throw last!;
    }

    /// <summary>A short public name for a key: the first 8 hex digits of its SHA-256. Reveals nothing usable.</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));

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

    private static string Decrypt(byte[] key, byte[] input)
    {
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Protected secret too short.");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }

    // The current key first, then the previous ones.
    private List<byte[]> Keys() =>
        new[] { options.Value.SecretsKey }.Concat(options.Value.PreviousSecretsKeys).Select(Decode).OfType<byte[]>().ToList();

    private static byte[]? Decode(string? key) => key is { Length: > 0 } ? Convert.FromBase64String(key) : null;
}
