using System.Globalization;
using Azure.Data.Tables;

namespace StatusChecks.Benchmarks.Api;

/// <summary>The rows a benchmarked request touches: the project, the MR (iid, HEAD sha) and its checks.</summary>
internal sealed record FloorTarget(string TokenHash, long ProjectId, long UserId, long Iid, string Sha, IReadOnlyList<long> CheckIds)
{
    public string Partition => ProjectId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The floor (issue 11 item 3): the least storage work that can answer each request, made directly with the Tables
/// SDK on the same Azurite and the service's tables, not a replay of the service's calls. GET = one point read of the
/// MR and two single-partition queries (the project's checks; the MR's newest responses at its HEAD), issued
/// together; POST = two point reads (the MR, the check), issued together, then one insert (the response row).
/// No token, project or membership read (the service keeps those in memory on a warm instance).
/// </summary>
internal sealed class TableFloor(TableServiceClient service, FloorTarget target)
{
    /// <summary>Round trips per request by construction: (sequential, total).</summary>
    public static readonly (int Sequential, int Total) GetRoundTrips = (1, 3);

    public static readonly (int Sequential, int Total) PostRoundTrips = (2, 3);

    // The service's table names (src/StatusChecks.Core/Storage/Tables/StatusChecksTables.cs).
    private const string MergeRequestsTable = "MergeRequestsV2";
    private const string ChecksTable = "StatusChecks";

    private static long nextId = 1_000_000_000; // the service's ids come from memory too (hi/lo blocks); no storage call

    private readonly TableClient mergeRequests = service.GetTableClient(MergeRequestsTable);
    private readonly TableClient checks = service.GetTableClient(ChecksTable);

    public async Task<bool> ListStatusChecksAsync(CancellationToken cancellationToken)
    {
        var mergeRequest = ReadMergeRequestAsync(cancellationToken);
        var projectChecks = ReadAllAsync(checks, target.Partition, "check|", cancellationToken);
        var latest = ReadAllAsync(mergeRequests, target.Partition, $"st|{Id(target.Iid)}|{target.Sha}|", cancellationToken);
        await Task.WhenAll(mergeRequest, projectChecks, latest);
        return await projectChecks == target.CheckIds.Count;
    }

    public async Task<bool> RespondAsync(long checkId, string status, CancellationToken cancellationToken)
    {
        await Task.WhenAll(ReadMergeRequestAsync(cancellationToken), Require(checks.GetEntityIfExistsAsync<TableEntity>(target.Partition, "check|" + Id(checkId), cancellationToken: cancellationToken)));
        var createdAt = DateTimeOffset.UtcNow;
        var id = Interlocked.Increment(ref nextId);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks;
        await mergeRequests.AddEntityAsync(
            new TableEntity(target.Partition, $"resp|{Id(target.Iid)}|{Id(checkId)}|{target.Sha}|{Id(inverted)}|{Id(id)}")
            {
                ["Id"] = id,
                ["ProjectId"] = target.ProjectId,
                ["MergeRequestIid"] = target.Iid,
                ["CheckId"] = checkId,
                ["Sha"] = target.Sha,
                ["Status"] = status,
                ["Actor"] = "user:" + target.UserId.ToString(CultureInfo.InvariantCulture),
                ["CreatedAt"] = createdAt,
            },
            cancellationToken);
        return true;
    }

    /// <summary>Deletes the response history rows a POST phase added (the service's and the floor's), so each phase starts equal.</summary>
    public static async Task<int> DeleteResponsesAsync(TableServiceClient service, FloorTarget target, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(MergeRequestsTable);
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(target.Partition, $"resp|{Id(target.Iid)}|"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100)) // a transaction holds at most 100 actions
        {
            await table.SubmitTransactionAsync(
                chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(target.Partition, key))),
                cancellationToken);
        }

        return keys.Count;
    }

    private Task ReadMergeRequestAsync(CancellationToken cancellationToken) =>
        Require(mergeRequests.GetEntityIfExistsAsync<TableEntity>(target.Partition, "mr|" + Id(target.Iid), cancellationToken: cancellationToken));

    private static async Task<int> ReadAllAsync(TableClient table, string partition, string prefix, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(Range(partition, prefix), cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    private static async Task Require(Task<Azure.NullableResponse<TableEntity>> read)
    {
        if (!(await read).HasValue)
        {
            throw new InvalidOperationException("A row the floor reads is missing.");
        }
    }

    private static string Range(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {prefix} and RowKey lt {prefix + "~"}");

    private static string Id(long id) => id.ToString("D19", CultureInfo.InvariantCulture);
}
