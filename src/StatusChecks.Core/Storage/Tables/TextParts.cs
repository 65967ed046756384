namespace StatusChecks.Core.Storage.Tables;

/// <summary>A text longer than one string property holds, split in two without splitting a surrogate pair.</summary>
internal static class TextParts
{
    /// <summary>Characters per part: 64 KiB of UTF-16 is 32,768; a little less leaves room to keep a surrogate pair whole.</summary>
    public const int PartLength = 32_000;

    public const int MaxLength = 2 * PartLength;

    public static (string? First, string? Second) Split(string? text)
    {
        if (text is null || text.Length <= PartLength)
        {
            return (text, null);
        }

        if (text.Length > MaxLength)
        {
            throw new ArgumentException($"A text of {text.Length} characters does not fit in two parts.", nameof(text));
        }

        var cut = char.IsHighSurrogate(text[PartLength - 1]) ? PartLength - 1 : PartLength;
        return (text[..cut], text[cut..]);
    }

    public static string? Join(string? first, string? second) => second is null ? first : first + second;
}
