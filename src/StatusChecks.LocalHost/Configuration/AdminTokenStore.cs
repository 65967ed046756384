using System.Buffers.Text;
using System.Security.Cryptography;

namespace StatusChecks.LocalHost.Configuration;

/// <summary>
/// The generated admin token (SPEC section 5) for when none is configured: kept in a git-ignored file so it
/// survives restarts.
/// </summary>
public static class AdminTokenStore
{
    public static string GetOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }
}
