using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;

namespace StatusChecks.Core.Domain;

/// <summary>Input rules (GitLab's, where GitLab has one) and the shorthand for the errors they raise.</summary>
internal static partial class Rules
{
    public const int MaxNameLength = 255;
    public const int MaxUrlLength = 2048;

    /// <summary>
    /// The longest MR description (GitLab: 1,048,576). Every notification stores its whole payload in one table
    /// entity (see <c>DeliveryPayload</c>: 768,000 bytes), where a description can appear three times (the MR's, and
    /// an edit's previous and current) at up to 6 bytes a character once JSON-escaped: 3 x 6 x 35,000 = 630,000 bytes
    /// leaves room for the rest of the payload, so an accepted description is always delivered.
    /// </summary>
    public const int MaxDescriptionLength = 35_000;
    public const string Taken = "has already been taken";
    public const string Blank = "can't be blank";

    public static DomainException Missing(string parameter) => new(new DomainError.MissingParameter(parameter));

    public static DomainException Invalid(string parameter) => new(new DomainError.InvalidParameter(parameter));

    public static DomainException Validation(string field, string reason) => new(DomainError.ValidationFailed.For(field, reason));

    public static DomainException NotFound(string thing) => new(new DomainError.NotFound(thing));

    public static DomainException RecordNotFound() => new(new DomainError.RecordNotFound());

    public static DomainException ShaMismatch(string sha) => new(new DomainError.Conflict($"SHA does not match HEAD of source branch: {sha}"));

    public static T Required<T>(T? value, string parameter)
        where T : class => value ?? throw Missing(parameter);

    public static long Required(long? value, string parameter) => value ?? throw Missing(parameter);

    /// <summary>A display name or title: not blank, at most 255 characters.</summary>
    public static string Name(string? value, string field)
    {
        var name = Required(value, field);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Validation(field, Blank);
        }

        return name.Length > MaxNameLength ? throw Validation(field, TooLong(MaxNameLength)) : name;
    }

    /// <summary>An MR description: any text (empty clears it), at most <see cref="MaxDescriptionLength"/> characters.</summary>
    public static string Description(string value) =>
        value.Length > MaxDescriptionLength ? throw Validation(ParameterNames.Description, TooLong(MaxDescriptionLength)) : value;

    /// <summary>True for a commit id as <see cref="Sha"/> accepts it (safe to use in a row key).</summary>
    public static bool IsSha(string? value) => value is not null && ShaPattern().IsMatch(value);

    /// <summary>A commit id: 40 lower-case hex digits.</summary>
    public static string Sha(string? value, string parameter = ParameterNames.Sha)
    {
        var sha = Required(value, parameter);
        return ShaPattern().IsMatch(sha) ? sha : throw Invalid(parameter);
    }

    /// <summary>A branch name (or protected-branch pattern): not blank, no control characters, at most 255 characters.</summary>
    public static string Branch(string? value, string parameter)
    {
        var branch = Required(value, parameter);
        return string.IsNullOrWhiteSpace(branch) || branch.Length > MaxNameLength || branch.Any(char.IsControl)
            ? throw Invalid(parameter)
            : branch;
    }

    /// <summary>GitLab's default project path: the name parameterized (ASCII, lower-case, runs of other characters -> '-').</summary>
    public static string DerivePath(string name)
    {
        var path = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var ascii = char.IsAscii(c) ? char.ToLowerInvariant(c).ToString() : Transliterate(c);
            foreach (var a in ascii)
            {
                if (char.IsAsciiLetterOrDigit(a) || a is '_' or '-')
                {
                    path.Append(a);
                }
                else if (path.Length > 0 && path[^1] != '-')
                {
                    path.Append('-');
                }
            }
        }

        return MultipleDashes().Replace(path.ToString(), "-").Trim('-', '_');
    }

    // Latin-1 letters to ASCII as Rails' transliterate does (the process runs with invariant globalization,
    // so Unicode decomposition is not available); other characters become a separator.
    private static readonly string[] Latin1 = "a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th".Split(' ');

    private static string Transliterate(char c) => c switch
    {
        >= '\u00C0' and <= '\u00DE' => Latin1[c - '\u00C0'],
        '\u00DF' => "ss",
        >= '\u00E0' and <= '\u00FE' => Latin1[c - '\u00E0'],
        '\u00FF' => "y",
        _ => "-",
    };

    /// <summary>A project path or namespace segment, as GitLab allows them.</summary>
    public static string Path(string path, string field = ParameterNames.Path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Validation(field, Blank);
        }

        if (path.Length > MaxNameLength)
        {
            throw Validation(field, TooLong(MaxNameLength));
        }

        return PathPattern().IsMatch(path)
               && !path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)
               && !path.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
            ? path
            : throw Validation(field, "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'");
    }

    /// <summary>"group" or "group/subgroup": each segment a valid path.</summary>
    public static string Namespace(string? value)
    {
        var ns = value ?? "root";
        if (ns.Length > MaxNameLength)
        {
            throw Validation(ParameterNames.Namespace, TooLong(MaxNameLength));
        }

        foreach (var segment in ns.Split('/'))
        {
            Path(segment, ParameterNames.Namespace);
        }

        return ns;
    }

    public static string Username(string? value)
    {
        var username = Required(value, ParameterNames.Username);
        if (username.Length is 0 or > MaxNameLength)
        {
            throw Validation(ParameterNames.Username, username.Length == 0 ? Blank : TooLong(MaxNameLength));
        }

        return UsernamePattern().IsMatch(username) && !username.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && !username.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
            ? username
            : throw Validation(ParameterNames.Username, "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.");
    }

    public static string Email(string? value)
    {
        var email = Required(value, ParameterNames.Email);
        return email.Length <= MaxNameLength && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email
            ? email
            : throw Validation(ParameterNames.Email, "is invalid");
    }

    /// <summary>True for "ns/path" or "group/sub/path" made of valid segments (safe to use in a lookup key).</summary>
    public static bool IsPathWithNamespace(string value) =>
        value.Length <= 2 * MaxNameLength && value.Contains('/', StringComparison.Ordinal) && value.Split('/').All(segment => PathPattern().IsMatch(segment));

    public static string TooLong(int maximum) => $"is too long (maximum is {maximum} characters)";

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex ShaPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?<!\\.)$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("-{2,}")]
    private static partial Regex MultipleDashes();
}
