using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using StatusChecks.Infra.Tests.Support;

namespace StatusChecks.Infra.Tests.Documentation;

/// <summary>One Markdown file of the repository, parsed as GitHub renders it (heading ids included).</summary>
internal sealed class MarkdownFile
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .Build();

    // Folders that hold no documentation of ours (dependencies, build output, local state).
    private static readonly HashSet<string> Skipped = ["node_modules", "bin", "obj", ".git", ".local", ".azure", "TestResults"];

    private MarkdownFile(string path)
    {
        FullPath = path;
        Relative = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
        Text = File.ReadAllText(path);
        Document = Markdown.Parse(Text, Pipeline);
    }

    public string FullPath { get; }

    /// <summary>The path from the repository root, with forward slashes (README.md, docs/API.md).</summary>
    public string Relative { get; }

    public string Text { get; }

    public MarkdownDocument Document { get; }

    public string Directory => Path.GetDirectoryName(FullPath)!;

    /// <summary>The ids GitHub gives this file's headings (the targets of <c>file.md#id</c> links).</summary>
    public IReadOnlySet<string> Anchors => Document.Descendants<HeadingBlock>()
        .Select(heading => heading.GetAttributes().Id)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every link and image target, as written.</summary>
    public IEnumerable<string> LinkTargets => Document.Descendants<LinkInline>().Select(link => link.Url).OfType<string>();

    /// <summary>The text of every inline code span and every code block, line by line.</summary>
    public IEnumerable<string> CodeTexts =>
        Document.Descendants<CodeInline>().Select(code => code.Content)
            .Concat(Document.Descendants<CodeBlock>().SelectMany(block => block.Lines.Lines.Select(line => line.ToString())));

    public static MarkdownFile Read(params string[] pathFromRoot) => new(Repository.PathOf(pathFromRoot));

    /// <summary>The project's own Markdown files: everywhere in the checkout but dependencies and build output.</summary>
    public static IReadOnlyList<MarkdownFile> All() => [.. Find(new DirectoryInfo(Repository.Root)).Order(StringComparer.Ordinal).Select(path => new MarkdownFile(path))];

    /// <summary>README.md and docs/*.md: the documentation whose code spans name repository paths.</summary>
    public static IReadOnlyList<MarkdownFile> ReadmeAndDocs() =>
        [Read("README.md"), .. System.IO.Directory.GetFiles(Repository.PathOf("docs"), "*.md").Order(StringComparer.Ordinal).Select(path => new MarkdownFile(path))];

    /// <summary>The text of the section that starts with <paramref name="heading"/> (a line as written), up to the next heading of its level or higher.</summary>
    public string Section(string heading)
    {
        var lines = Text.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, line => line == heading);
        Assert.True(start >= 0, $"{Relative} has no line \"{heading}\"");
        var level = heading.TakeWhile(c => c == '#').Count();
        var end = Array.FindIndex(lines, start + 1, line => line.StartsWith('#') && line.TakeWhile(c => c == '#').Count() is var n && n <= level && line.Length > n && line[n] == ' ');
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    private static IEnumerable<string> Find(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles("*.md"))
        {
            yield return file.FullName;
        }

        foreach (var child in directory.EnumerateDirectories().Where(child => !Skipped.Contains(child.Name)))
        {
            foreach (var file in Find(child))
            {
                yield return file;
            }
        }
    }
}
