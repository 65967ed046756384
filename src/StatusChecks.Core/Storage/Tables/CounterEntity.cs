namespace StatusChecks.Core.Storage.Tables;

/// <summary>A counter: a shard of a list's total, the per-project MR iid, or an id block's high-water mark.</summary>
internal sealed record CounterEntity : Row
{
    public long Value { get; set; }
}
