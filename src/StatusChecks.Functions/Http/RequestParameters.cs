using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace StatusChecks.Functions.Http;

/// <summary>One parameter as it arrived, before a function asks for it as a particular type.</summary>
internal abstract record RawValue
{
    private RawValue()
    {
    }

    /// <summary><c>name=value</c> from a query string or form; <see cref="Value"/> is null when it was not UTF-8.</summary>
    public sealed record Text(string? Value) : RawValue;

    /// <summary><c>name[]=a&amp;name[]=b</c>: Rack's array notation.</summary>
    public sealed record TextList(IReadOnlyList<string?> Values) : RawValue;

    /// <summary><c>name[key]=value</c>: a Rack hash, which no parameter of this API accepts.</summary>
    public sealed record Nested : RawValue;

    /// <summary>A property of a JSON body, of any JSON kind.</summary>
    public sealed record Json(JsonElement Value) : RawValue;

    /// <summary>The same name twice in one source (<c>name=a&amp;name=b</c>): ambiguous, so invalid.</summary>
    public sealed record Duplicate : RawValue;
}

/// <summary>Turns a query string, a form body or a JSON body into named <see cref="RawValue"/>s.</summary>
internal static class RequestParameters
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Parses <c>a=1&amp;b[]=2</c> (query string without '?', or a form body) the way Rack does.</summary>
    public static Dictionary<string, RawValue> ParseUrlEncoded(ReadOnlySpan<byte> text)
    {
        var values = new Dictionary<string, RawValue>(StringComparer.Ordinal);
        foreach (var range in text.Split((byte)'&'))
        {
            var pair = text[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            var rawKey = equals < 0 ? pair : pair[..equals];
            var key = Decode(rawKey)
                ?? throw new ApiRequestException(ApiError.NotAValidValue(Encoding.UTF8.GetString(Unescape(rawKey))));
            Add(values, key, equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]));
        }

        return values;
    }

    /// <summary>
    /// Parses a JSON body, which must be one object or <c>null</c> (an empty body, as Grape reads it: go-gitlab
    /// sends <c>null</c> for a request without options); anything else is malformed for this API.
    /// </summary>
    public static Dictionary<string, RawValue> ParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.Span.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ApiRequestException(ApiError.MalformedJson);
        }

        if (root.ValueKind == JsonValueKind.Null)
        {
            return new Dictionary<string, RawValue>(StringComparer.Ordinal);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ApiRequestException(ApiError.MalformedJson);
        }

        var values = new Dictionary<string, RawValue>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var name = PropertyName(property);
            values[name] = values.ContainsKey(name) ? new RawValue.Duplicate() : new RawValue.Json(property.Value);
        }

        return values;
    }

    private static void Add(Dictionary<string, RawValue> values, string key, string? value)
    {
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        var name = bracket < 0 ? key : key[..bracket];
        if (name.Length == 0)
        {
            return; // Rack drops pairs without a name
        }

        values.TryGetValue(name, out var existing);
        values[name] = (bracket < 0 ? null : key[bracket..], existing) switch
        {
            (null, null) => new RawValue.Text(value),
            ("[]", null) => new RawValue.TextList([value]),
            ("[]", RawValue.TextList list) => new RawValue.TextList([.. list.Values, value]),
            (null or "[]", _) => new RawValue.Duplicate(),
            _ => new RawValue.Nested(),
        };
    }

    private static string PropertyName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw new ApiRequestException(ApiError.MalformedJson); // a name that is not valid UTF-8/UTF-16
        }
    }

    /// <summary>Percent- and plus-decodes, then insists on UTF-8: null when the bytes are not.</summary>
    private static string? Decode(ReadOnlySpan<byte> encoded)
    {
        var bytes = Unescape(encoded);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static byte[] Unescape(ReadOnlySpan<byte> encoded)
    {
        var array = encoded.ToArray();
        return WebUtility.UrlDecodeToBytes(array, 0, array.Length);
    }
}
