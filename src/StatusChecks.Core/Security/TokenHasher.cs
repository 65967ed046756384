using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace StatusChecks.Core.Security;

/// <summary>Personal access tokens: generated from 32 random bytes, stored and looked up only by SHA-256.</summary>
internal static class TokenHasher
{
    public const string Prefix = "glpat-";

    public static string NewToken() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the UTF-8 token: the token table's key.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison (of the hashes, so lengths never leak either).</summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
