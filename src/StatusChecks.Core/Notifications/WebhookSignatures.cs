using System.Security.Cryptography;
using System.Text;

namespace StatusChecks.Core.Notifications;

/// <summary>
/// The signatures of a delivery with a shared secret: GitLab's <c>X-Gitlab-Signature</c> (hex HMAC-SHA256 of the
/// raw body) and (extension) <c>X-StatusChecks-Signature: v1=</c> over "<c>timestamp.body</c>", which lets a
/// receiver refuse replays by checking <c>X-StatusChecks-Timestamp</c> (Unix seconds).
/// </summary>
public static class WebhookSignatures
{
    public const string GitLabHeader = "X-Gitlab-Signature";
    public const string TimestampHeader = "X-StatusChecks-Timestamp";
    public const string SignatureHeader = "X-StatusChecks-Signature";
    public const string Version = "v1=";

    public static string GitLab(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string Timestamped(long unixSeconds, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Version + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
