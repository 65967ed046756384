using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StatusChecks.Functions.Http;

/// <summary>
/// Writes times as GitLab does: ISO 8601 in UTC with milliseconds, <c>2026-11-25T10:00:00.000Z</c>
/// (System.Text.Json's default keeps the offset and drops or extends the fraction).
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
