using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// Hi/lo ids: a process reserves a block of ids by moving a per-kind high-water mark with an ETag-checked
/// write, then hands them out from memory. Gaps (unused ids of a stopped process) are fine; duplicates are
/// impossible because each block is owned by the single writer whose ETag matched.
/// </summary>
internal sealed class BlockIdGenerator(StatusChecksTables tables, IOptions<StatusChecksOptions> options) : IIdGenerator
{
    private const string Partition = "ids";
    private const int MaxAttempts = 50;
    private readonly ConcurrentDictionary<IdKind, Block> blocks = new();

    public async Task<long> NextAsync(IdKind kind, CancellationToken cancellationToken)
    {
        var block = blocks.GetOrAdd(kind, _ => new Block());
        await block.Gate.WaitAsync(cancellationToken);
        try
        {
            if (block.Next >= block.End)
            {
                (block.Next, block.End) = await ReserveAsync(kind, cancellationToken);
            }

            return block.Next++;
        }
        finally
        {
            block.Gate.Release();
        }
    }

    private async Task<(long Start, long End)> ReserveAsync(IdKind kind, CancellationToken cancellationToken)
    {
        var size = options.Value.IdBlockSize;
        var table = await tables.GetAsync(StatusChecksTables.Ids, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var mark = await table.GetEntityIfExistsAsync<CounterEntity>(Partition, kind.ToString(), cancellationToken: cancellationToken);
            try
            {
                // Value = the first id not yet reserved by anyone.
                if (mark.HasValue)
                {
                    var start = mark.Value!.Value;
                    await table.UpdateEntityAsync(mark.Value with { Value = start + size }, mark.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                    return (start, start + size);
                }

                var first = FirstId(kind);
                await table.AddEntityAsync(new CounterEntity { PartitionKey = Partition, RowKey = kind.ToString(), Value = first + size }, cancellationToken);
                return (first, first + size);
            }
            catch (Azure.RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                await Task.Delay(Optimistic.Backoff(attempt), cancellationToken);
            }
            catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
            {
                throw new DomainException(new DomainError.Conflict("Could not allocate an id; try again"));
            }
        }
    }

    /// <summary>User id 1 is the administrator's (GitLab's root), so allocated user ids start at 2.</summary>
    internal static long FirstId(IdKind kind) => kind == IdKind.User ? Administrator.UserId + 1 : 1;

    private sealed class Block
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Next { get; set; }

        public long End { get; set; }
    }
}
