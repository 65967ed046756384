using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// Partition and row keys. Ids are zero-padded so key order is id order. Free text (names, URLs, branch
/// patterns) may hold characters row keys forbid ('/', '#', '?'), so index rows key it by its SHA-256.
/// </summary>
internal static class Keys
{
    /// <summary>Sorts after every character the keys below use, closing a prefix range.</summary>
    public const string RangeEnd = "~";

    public static string Id(long id) => id.ToString("D19", CultureInfo.InvariantCulture);

    public static string Partition(long projectId) => projectId.ToString(CultureInfo.InvariantCulture);

    public static string MergeRequestPartition(long projectId, long iid) => $"{Partition(projectId)}-{iid.ToString(CultureInfo.InvariantCulture)}";

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
