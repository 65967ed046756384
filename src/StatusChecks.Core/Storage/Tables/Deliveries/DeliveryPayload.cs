using System.Text;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// A webhook body in binary properties (<see cref="ChunkedPayloadRow"/>): 12 of 64,000 bytes. An entity holds at most 1 MiB, and Azurite counts
/// the request's JSON, where binary is base64 (4/3): 768,000 bytes are 1,024,000 there, leaving room for the other
/// properties. Any payload of an accepted MR fits (see <see cref="Domain.Rules.MaxDescriptionLength"/>).
/// </summary>
internal static class DeliveryPayload
{
    public const int Chunks = 12;

    public const int ChunkBytes = 64_000;

    public const int MaxBytes = Chunks * ChunkBytes;

    /// <summary>About what the payload costs in a storage request (base64 of the bytes).</summary>
    public static long EncodedBytes(ChunkedPayloadRow row)
    {
        long bytes = 0;
        for (var i = 0; i < Chunks && Get(row, i) is { } chunk; i++)
        {
            bytes += chunk.Length;
        }

        return bytes * 4 / 3;
    }

    public static string Read(ChunkedPayloadRow row)
    {
        if (row.PayloadBytes00 is null)
        {
            return row.Payload ?? "";
        }

        var bytes = new List<byte>();
        for (var i = 0; i < Chunks && Get(row, i) is { } chunk; i++)
        {
            bytes.AddRange(chunk);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Throws when the body does not fit: a payload is never stored cut short.</summary>
    public static void Write(ChunkedPayloadRow row, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (bytes.Length > MaxBytes)
        {
            throw new InvalidOperationException($"A delivery payload of {bytes.Length} bytes exceeds {MaxBytes} bytes.");
        }

        row.Payload = null;
        for (var i = 0; i < Chunks; i++)
        {
            var start = i * ChunkBytes;
            // An empty body still gets its first chunk, so it is not mistaken for a row from before chunking.
            Set(row, i, start < bytes.Length || i == 0 ? bytes[start..Math.Min(bytes.Length, start + ChunkBytes)] : null);
        }
    }

    private static byte[]? Get(ChunkedPayloadRow d, int i) => i switch
    {
        0 => d.PayloadBytes00,
        1 => d.PayloadBytes01,
        2 => d.PayloadBytes02,
        3 => d.PayloadBytes03,
        4 => d.PayloadBytes04,
        5 => d.PayloadBytes05,
        6 => d.PayloadBytes06,
        7 => d.PayloadBytes07,
        8 => d.PayloadBytes08,
        9 => d.PayloadBytes09,
        10 => d.PayloadBytes10,
        11 => d.PayloadBytes11,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    private static void Set(ChunkedPayloadRow d, int i, byte[]? chunk)
    {
        switch (i)
        {
            case 0: d.PayloadBytes00 = chunk; break;
            case 1: d.PayloadBytes01 = chunk; break;
            case 2: d.PayloadBytes02 = chunk; break;
            case 3: d.PayloadBytes03 = chunk; break;
            case 4: d.PayloadBytes04 = chunk; break;
            case 5: d.PayloadBytes05 = chunk; break;
            case 6: d.PayloadBytes06 = chunk; break;
            case 7: d.PayloadBytes07 = chunk; break;
            case 8: d.PayloadBytes08 = chunk; break;
            case 9: d.PayloadBytes09 = chunk; break;
            case 10: d.PayloadBytes10 = chunk; break;
            case 11: d.PayloadBytes11 = chunk; break;
            default: throw new ArgumentOutOfRangeException(nameof(i));
        }
    }
}
