using System.Buffers.Text;
using System.Security.Cryptography;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>
/// Secrets the local host generates when none is configured (the admin token of README.md (Configuration), the key that
/// encrypts shared secrets): 32 random bytes, kept in a git-ignored file readable only by the user, so they
/// survive restarts.
/// </summary>
public static class LocalSecretStore
{
    public static string GetOrCreate(string path) => GetOrCreate(path, bytes => Base64Url.EncodeToString(bytes));

    public static string GetOrCreate(string path, Func<byte[], string> encode)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var token = encode(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }
}
