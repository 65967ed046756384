namespace StatusChecks.Core.Storage.Tables;

internal sealed record ProjectEntity : Row
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Path { get; set; } = "";

    public string Namespace { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool OnlyAllowMergeIfAllStatusChecksPassed { get; set; }

    /// <summary>(bridge) The project has a GitLab link: its MRs are mirrored and its check results reported to GitLab.</summary>
    public bool GitLabLinked { get; set; }
}
