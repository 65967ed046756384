namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The per-project MR iid counter: the highest iid. <see cref="Mirrored"/> once an MR came from GitLab with GitLab's
/// iid: iids may then have gaps, so a list counts its rows instead of taking the last iid as the total.
/// </summary>
internal sealed record IidCounterEntity : Row
{
    public long Value { get; set; }

    public bool Mirrored { get; set; }
}
