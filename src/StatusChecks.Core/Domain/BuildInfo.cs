using System.Reflection;

namespace StatusChecks.Core.Domain;

/// <summary>
/// This build's version and source revision, from the assembly's informational version, which the SDK writes as
/// <c>&lt;Version&gt;+&lt;commit&gt;</c> when it builds from a git checkout.
/// </summary>
public static class BuildInfo
{
    private static readonly string[] Parts = Parse(
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The version without build metadata, e.g. <c>0.1.0</c>.</summary>
    public static string Version => Parts[0];

    /// <summary>The commit the build came from, or <c>unknown</c> when the build had none.</summary>
    public static string Revision => Parts[1];

    internal static string[] Parse(string? informationalVersion)
    {
        var text = string.IsNullOrWhiteSpace(informationalVersion) ? "0.0.0" : informationalVersion.Trim();
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? [text, "unknown"]
            : [text[..plus], plus + 1 < text.Length ? text[(plus + 1)..] : "unknown"];
    }
}
