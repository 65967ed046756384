using System.Text.RegularExpressions;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests.Documentation;

/// <summary>
/// Files move (storage files, test folders, the HTTP boundary): these keep the documentation's links and the repository
/// paths it names pointing at things that exist, so a move cannot silently break them.
/// </summary>
public sealed partial class DocumentationLinksTests
{
    /// <summary>The repository's top-level folders: a path in a code span that starts with one of them is a repository path.</summary>
    private static readonly string[] RepositoryFolders = ["src/", "tests/", "bench/", "docs/", "infra/", ".ci/", ".config/"];

    [Fact]
    public void EveryRelativeLink_LeadsToAFileInTheRepository()
    {
        var broken = new List<string>();
        foreach (var file in MarkdownFile.All())
        {
            foreach (var target in file.LinkTargets.Where(IsRelative))
            {
                var path = target.Split('#')[0];
                if (path.Length == 0)
                {
                    continue;
                }

                var full = Path.GetFullPath(Path.Combine(file.Directory, Uri.UnescapeDataString(path)));
                if (!full.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    broken.Add($"{file.Relative}: ({target}) leaves the repository");
                }
                else if (!File.Exists(full) && !Directory.Exists(full))
                {
                    broken.Add($"{file.Relative}: ({target}) does not exist");
                }
            }
        }

        Assert.True(broken.Count == 0, "Links that lead nowhere:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void EveryLinkToAHeading_FindsTheHeading()
    {
        var files = MarkdownFile.All().ToDictionary(file => file.FullPath);
        var broken = new List<string>();
        foreach (var file in files.Values)
        {
            foreach (var target in file.LinkTargets.Where(IsRelative).Where(target => target.Contains('#')))
            {
                var (path, anchor) = (target[..target.IndexOf('#')], target[(target.IndexOf('#') + 1)..]);
                var full = path.Length == 0 ? file.FullPath : Path.GetFullPath(Path.Combine(file.Directory, Uri.UnescapeDataString(path)));
                if (files.TryGetValue(full, out var linked) && !linked.Anchors.Contains(anchor))
                {
                    broken.Add($"{file.Relative}: ({target}) names no heading of {linked.Relative}");
                }
            }
        }

        Assert.True(broken.Count == 0, "Links to headings that do not exist:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void EveryRepositoryPathInCode_Exists()
    {
        var missing = new List<string>();
        foreach (var file in MarkdownFile.All())
        {
            foreach (var path in file.CodeTexts.SelectMany(RepositoryPaths).Distinct())
            {
                if (!File.Exists(Repository.PathOf(path)) && !Directory.Exists(Repository.PathOf(path)))
                {
                    missing.Add($"{file.Relative}: `{path}`");
                }
            }
        }

        Assert.True(missing.Count == 0, "Repository paths in code spans and blocks that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void ReadmeAndDocs_NameNothingOutsideTheRepository()
    {
        var outside = MarkdownFile.ReadmeAndDocs()
            .Where(file => file.Text.Contains("../shared", StringComparison.Ordinal) || file.Text.Contains("shared/SPEC", StringComparison.Ordinal))
            .Select(file => file.Relative)
            .ToList();

        Assert.True(outside.Count == 0, "The documentation points outside the repository (the contract is docs/API.md): " + string.Join(", ", outside));
    }

    [Theory]
    [InlineData("dotnet run --project src/StatusChecks.LocalHost", "src/StatusChecks.LocalHost")]
    [InlineData("see `src/StatusChecks.Core/README.md`.", "src/StatusChecks.Core/README.md")]
    [InlineData("(cd tests/clients/go-gitlab && go run .)", "tests/clients/go-gitlab")]
    [InlineData("--openapi docs/openapi.json --output ./Client", "docs/openapi.json")]
    [InlineData("ADMIN=$(cat .local/admin-token)", null)]
    [InlineData("`ee/lib/api/status_checks.rb` and `Models/MessageList.cs`", null)]
    [InlineData("src/StatusChecks.Functions/Api/<Resource>/", null)]
    public void RepositoryPaths_AreWordsUnderATopLevelFolder(string code, string? expected)
    {
        Assert.Equal(expected is null ? [] : [expected], RepositoryPaths(code).ToArray());
    }

    private static bool IsRelative(string target) =>
        !target.StartsWith('#') && !UrlScheme().IsMatch(target);

    /// <summary>Words that start with a top-level folder, without the punctuation around them; placeholders skipped.</summary>
    private static IEnumerable<string> RepositoryPaths(string code) =>
        code.Split([' ', '\t', '`'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Trim('"', '\'', '(', ')', '[', ']', ',', ';').TrimEnd('.', ':'))
            .Select(word => word.StartsWith("./", StringComparison.Ordinal) ? word[2..] : word)
            .Where(word => RepositoryFolders.Any(folder => word.StartsWith(folder, StringComparison.Ordinal)))
            .Where(word => word.IndexOfAny(['<', '>', '*', '$', '{', '}']) < 0)
            .Select(word => word.TrimEnd('/'));

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UrlScheme();
}
