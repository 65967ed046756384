namespace StatusChecks.Core.Storage.Tables;

internal interface IIdGenerator
{
    /// <summary>A positive id never handed out before for <paramref name="kind"/>, in this or any other process.</summary>
    Task<long> NextAsync(IdKind kind, CancellationToken cancellationToken);
}
