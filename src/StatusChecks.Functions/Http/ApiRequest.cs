using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;
using StatusChecks.Core.Domain;

namespace StatusChecks.Functions.Http;

/// <summary>
/// The parameters and token of one API call, read as GitLab (Grape on Rack) reads them: from the query string
/// and from a JSON object or form body, the body winning over the query.
/// </summary>
/// <remarks>
/// Usage in a function, in GitLab's order (authenticate, then validate parameters, then look things up):
/// <code>
/// var call = await ApiRequest.ReadAsync(request, [ParameterNames.Name, ParameterNames.ExternalUrl], cancellationToken);
/// var caller = await auth.AuthenticateAsync(call.Token, cancellationToken);
/// var check = await checks.CreateAsync(caller, project, new(call.OptionalString(ParameterNames.Name), ...), cancellationToken);
/// return await request.CreatedAsync(check, cancellationToken);
/// </code>
/// Reading fails fast with 413/415/400 for a body that cannot be read at all. Parameters the route does not declare
/// are dropped unread, as GitLab's <c>declared_params</c> drops them: real clients send extras (python-gitlab sends
/// back attributes it has read, gitbeaker global options). Each accessor then throws <see cref="ApiRequestException"/>
/// ("x is invalid", "x does not have a valid value") for its own declared parameter. A JSON body of <c>null</c> is an empty body and
/// a JSON <c>null</c> optional parameter is absent, as in Grape (go-gitlab sends both).
/// Array parameters follow GitLab's <c>CommaSeparatedToArray</c>: <c>ids[]=1&amp;ids[]=2</c>, <c>ids=1,2</c>
/// and JSON <c>[1, 2]</c> or <c>"1,2"</c> all give [1, 2]; an empty value gives an empty list.
/// Not a record on purpose: a generated ToString would print the token.
/// </remarks>
public sealed class ApiRequest
{
    /// <summary>Largest body read: 1 MiB. One byte more is 413, and no more than that is ever buffered.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly Dictionary<string, string> EmptyAliases = [];

    // dry-types' Params::Bool, which Grape uses for Boolean parameters.
    private static readonly HashSet<string> TrueValues = ["1", "on", "On", "ON", "t", "true", "True", "TRUE", "T", "y", "yes", "Yes", "YES", "Y"];
    private static readonly HashSet<string> FalseValues = ["0", "off", "Off", "OFF", "f", "false", "False", "FALSE", "F", "n", "no", "No", "NO", "N"];

    private readonly Dictionary<string, RawValue> parameters;
    private readonly HashSet<string> allowed;
    private readonly bool isList;

    private ApiRequest(Dictionary<string, RawValue> parameters, HashSet<string> allowed, bool isList, string? token)
    {
        this.parameters = parameters;
        this.allowed = allowed;
        this.isList = isList;
        Token = token;
    }

    /// <summary>The caller's token (header or parameter), or null. A secret: pass it on, never log it.</summary>
    public string? Token { get; }

    /// <summary>
    /// Reads a request that declares the parameters in <paramref name="allowed"/> (tokens always are); any other
    /// parameter is ignored. <paramref name="aliases"/> maps another name a client sends to a declared one; the
    /// declared name wins when both are sent.
    /// </summary>
    public static Task<ApiRequest> ReadAsync(
        HttpRequestData request,
        IReadOnlyCollection<string> allowed,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? aliases = null) =>
        ReadAsync(request, allowed, aliases, isList: false, cancellationToken);

    /// <summary>As <see cref="ReadAsync"/>, for a list endpoint: <c>page</c> and <c>per_page</c> are declared too.</summary>
    public static Task<ApiRequest> ReadListAsync(
        HttpRequestData request, IReadOnlyCollection<string> allowed, CancellationToken cancellationToken) =>
        ReadAsync(request, allowed, aliases: null, isList: true, cancellationToken);

    /// <summary>Whether the parameter was sent at all (even as JSON null or an empty string).</summary>
    public bool Has(string name) => parameters.ContainsKey(Declared(name));

    /// <summary>Grape's <c>at_least_one_of</c>: 400 naming them all when none of <paramref name="names"/> was sent (e.g. an empty update).</summary>
    public void RequireAnyOf(params string[] names)
    {
        if (!names.Any(Has))
        {
            throw new ApiRequestException(ApiError.AtLeastOneOf(names));
        }
    }

    /// <summary>Null when absent or JSON null; an empty string stays empty (it can mean "remove").</summary>
    public string? OptionalString(string name) => Find(name) is { } value ? AsString(name, value) : null;

    /// <summary>As <see cref="OptionalString"/>, for multi-line text (an MR description): tabs and line breaks are allowed.</summary>
    public string? OptionalText(string name) =>
        Find(name) is { } value ? AsString(name, ScalarOf(name, value, multiline: true)) : null;

    /// <summary>A positive 64-bit id.</summary>
    public long? OptionalLong(string name) => OptionalScalar(name) is { } scalar ? AsLong(name, scalar) : null;

    /// <summary>An integer; outside <paramref name="min"/>..<paramref name="max"/> is "does not have a valid value".</summary>
    public int? OptionalInt(string name, int min, int max) => OptionalScalar(name) is { } scalar ? AsInt(name, scalar, min, max) : null;

    /// <summary>JSON true/false, or Grape's strings: true/false, 1/0, yes/no, on/off, t/f, y/n.</summary>
    public bool? OptionalBool(string name) => OptionalScalar(name) is { } scalar ? AsBool(name, scalar) : null;

    /// <summary>A calendar date written yyyy-MM-dd.</summary>
    public DateOnly? OptionalDate(string name) => OptionalScalar(name) is { } scalar ? AsDate(name, scalar) : null;

    /// <summary>One of <paramref name="values"/> (exact match); another string is "does not have a valid value".</summary>
    public string? OptionalEnum(string name, params ReadOnlySpan<string> values) =>
        OptionalScalar(name) is { } scalar ? AsEnum(name, scalar, values) : null;

    /// <summary>A list of strings (see the remarks for the accepted shapes).</summary>
    public IReadOnlyList<string>? OptionalStringArray(string name) =>
        Find(name) is { } value ? [.. ItemsOf(name, value).Select(item => AsString(name, item))] : null;

    /// <summary>A list of positive 64-bit ids (see the remarks for the accepted shapes).</summary>
    public IReadOnlyList<long>? OptionalLongArray(string name) =>
        Find(name) is { } value ? [.. ItemsOf(name, value).Select(item => AsLong(name, item))] : null;

    /// <summary>
    /// <c>page</c> (default 1) and <c>per_page</c> (default 20, at most 100) as GitLab treats them: a non-integer is
    /// "is invalid", per_page 0 "does not have a valid value", other out-of-range values are clamped.
    /// </summary>
    public PageRequest Page()
    {
        if (!isList)
        {
            throw new InvalidOperationException("Read list requests with ApiRequest.ReadListAsync.");
        }

        var page = OptionalInt(ParameterNames.Page, int.MinValue, int.MaxValue);
        var perPage = OptionalInt(ParameterNames.PerPage, int.MinValue, int.MaxValue);
        return perPage == 0 // Grape's except_values: [0]; Kaminari clamps the rest
            ? throw new ApiRequestException(ApiError.NotAValidValue(ParameterNames.PerPage))
            : PageRequest.Create(page, perPage);
    }

    private static async Task<ApiRequest> ReadAsync(
        HttpRequestData request,
        IReadOnlyCollection<string> allowed,
        IReadOnlyDictionary<string, string>? aliases,
        bool isList,
        CancellationToken cancellationToken)
    {
        var parameters = RequestParameters.ParseUrlEncoded(Encoding.UTF8.GetBytes(request.Url.Query.TrimStart('?')));
        foreach (var (name, value) in await ReadBodyAsync(request, cancellationToken))
        {
            parameters[name] = value; // the body wins, as in Rack's params
        }

        foreach (var (alias, name) in aliases ?? EmptyAliases)
        {
            if (parameters.Remove(alias, out var value))
            {
                parameters.TryAdd(name, value);
            }
        }

        HashSet<string> known = [.. allowed, ParameterNames.PrivateToken, ParameterNames.AccessToken];
        if (isList)
        {
            known.UnionWith([ParameterNames.Page, ParameterNames.PerPage]);
        }

        // Grape's declared_params: what the route does not declare is dropped before anything reads it.
        foreach (var undeclared in parameters.Keys.Where(name => !known.Contains(name)).ToList())
        {
            parameters.Remove(undeclared);
        }

        var token = AccessToken.Find(
            request.Headers,
            TokenParameter(parameters, ParameterNames.PrivateToken),
            TokenParameter(parameters, ParameterNames.AccessToken));
        return new ApiRequest(parameters, known, isList, token);
    }

    private static async Task<Dictionary<string, RawValue>> ReadBodyAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (long.TryParse(Header(request.Headers, "Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            && length > MaxBodyBytes)
        {
            throw new ApiRequestException(ApiError.RequestTooLarge);
        }

        var body = await ReadAtMostAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body.Length == 0)
        {
            return [];
        }

        var mediaType = MediaTypeHeaderValue.TryParse(Header(request.Headers, "Content-Type"), out var contentType)
            ? contentType.MediaType
            : null;
        return mediaType?.ToUpperInvariant() switch
        {
            "APPLICATION/JSON" => RequestParameters.ParseJson(body),
            "APPLICATION/X-WWW-FORM-URLENCODED" => RequestParameters.ParseUrlEncoded(body.Span),
            _ => throw new ApiRequestException(ApiError.UnsupportedMediaType),
        };
    }

    /// <summary>Reads the body, but never more than <paramref name="limit"/> + 1 bytes: one byte over is 413.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1L - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new ApiRequestException(ApiError.RequestTooLarge);
            }
        }

        return buffer.ToArray();
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    /// <summary>A token parameter that is not a single string counts as no token (so the caller gets 401).</summary>
    private static string? TokenParameter(Dictionary<string, RawValue> parameters, string name) =>
        parameters.GetValueOrDefault(name) switch
        {
            RawValue.Text text => text.Value,
            RawValue.Json { Value.ValueKind: JsonValueKind.String } json => TryGetString(json.Value),
            _ => null,
        };

    /// <summary>The parameter's raw value; null when absent or JSON null (every parameter is optional here: the domain says what is missing).</summary>
    private RawValue? Find(string name) =>
        parameters.GetValueOrDefault(Declared(name)) switch
        {
            RawValue.Json { Value.ValueKind: JsonValueKind.Null } => null,
            RawValue.Duplicate => throw Invalid(name),
            var value => value,
        };

    /// <summary>Reading a name the function did not declare is a programming error (500), not a client one.</summary>
    private string Declared(string name) => allowed.Contains(name)
        ? name
        : throw new InvalidOperationException($"Parameter '{name}' is not among the request's allowed parameters.");

    /// <summary>An optional non-string parameter: an empty form value (<c>x=</c>) counts as not given, as in Grape.</summary>
    private Scalar? OptionalScalar(string name) =>
        Find(name) is { } value && ScalarOf(name, value) is var scalar && scalar is not { Kind: JsonValueKind.String, Text: "" }
            ? scalar
            : null;

    private static Scalar ScalarOf(string name, RawValue value, bool multiline = false) => value switch
    {
        RawValue.Text { Value: { } text } => new(JsonValueKind.String, CheckText(name, text, multiline)),
        RawValue.Json { Value: var json } => json.ValueKind switch
        {
            JsonValueKind.String => new(JsonValueKind.String, CheckText(name, TryGetString(json) ?? throw Invalid(name), multiline)),
            JsonValueKind.Number => new(JsonValueKind.Number, json.GetRawText()),
            JsonValueKind.True or JsonValueKind.False => new(json.ValueKind, null),
            _ => throw Invalid(name),
        },
        _ => throw Invalid(name), // not UTF-8, an array or a hash where one value was expected
    };

    /// <summary>The items of an array parameter, each comma-separated string split (GitLab's CommaSeparatedToArray).</summary>
    private static IEnumerable<Scalar> ItemsOf(string name, RawValue value) => value switch
    {
        RawValue.Text { Value: { } text } => Split(name, text),
        RawValue.TextList list => list.Values.SelectMany(text => Split(name, text ?? throw Invalid(name))),
        RawValue.Json { Value.ValueKind: JsonValueKind.String } json => Split(name, ScalarOf(name, json).Text!),
        RawValue.Json { Value.ValueKind: JsonValueKind.Array } json => json.Value.EnumerateArray()
            .SelectMany(item => item.ValueKind == JsonValueKind.String
                ? Split(name, ScalarOf(name, new RawValue.Json(item)).Text!)
                : [ScalarOf(name, new RawValue.Json(item))]),
        _ => throw Invalid(name),
    };

    private static IEnumerable<Scalar> Split(string name, string text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',').Select(part => part.Trim() is { Length: > 0 } item
                ? new Scalar(JsonValueKind.String, CheckText(name, item))
                : throw Invalid(name));

    private static string AsString(string name, RawValue value) => AsString(name, ScalarOf(name, value));

    private static string AsString(string name, Scalar scalar) =>
        scalar.Kind == JsonValueKind.String ? scalar.Text! : throw Invalid(name);

    private static long AsLong(string name, Scalar scalar) =>
        scalar is { Kind: JsonValueKind.String or JsonValueKind.Number, Text: { } text } && PositiveId.TryParse(text, out var value)
            ? value
            : throw Invalid(name);

    private static int AsInt(string name, Scalar scalar, int min, int max)
    {
        if (scalar is not { Kind: JsonValueKind.String or JsonValueKind.Number, Text: { } text }
            || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(name);
        }

        return value >= min && value <= max ? value : throw new ApiRequestException(ApiError.NotAValidValue(name));
    }

    private static bool AsBool(string name, Scalar scalar) => scalar switch
    {
        { Kind: JsonValueKind.True } => true,
        { Kind: JsonValueKind.False } => false,
        { Text: { } text } when TrueValues.Contains(text) => true,
        { Text: { } text } when FalseValues.Contains(text) => false,
        _ => throw Invalid(name),
    };

    private static DateOnly AsDate(string name, Scalar scalar) =>
        scalar is { Kind: JsonValueKind.String, Text: { } text }
        && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Invalid(name);

    private static string AsEnum(string name, Scalar scalar, ReadOnlySpan<string> values)
    {
        var text = AsString(name, scalar);
        return values.Contains(text) ? text : throw new ApiRequestException(ApiError.NotAValidValue(name));
    }

    /// <summary>
    /// Control characters are never part of a name, URL, sha or secret: refuse rather than store them. Multi-line text
    /// may hold tabs and line breaks, and no other control character.
    /// </summary>
    private static string CheckText(string name, string text, bool multiline = false) =>
        text.Any(c => char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r')) ? throw Invalid(name) : text;

    /// <summary>JSON strings can hold invalid UTF-8 or lone surrogates; those are not text.</summary>
    private static string? TryGetString(JsonElement json)
    {
        try
        {
            return json.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ApiRequestException Invalid(string name) => new(ApiError.InvalidParameter(name));

    /// <summary>One value: a string (query, form or JSON), or a JSON number/true/false with its raw text.</summary>
    private readonly record struct Scalar(JsonValueKind Kind, string? Text);
}
