using System.Globalization;
using Azure.Data.Tables;

namespace StatusChecks.Benchmarks.Api;

/// <summary>The rows a benchmarked request touches: the caller's token and membership, the project, the MR and its checks.</summary>
internal sealed record FloorTarget(string TokenHash, long ProjectId, long UserId, long Iid, string Sha, IReadOnlyList<long> CheckIds)
{
    public string ResponsePartition => $"{ProjectId.ToString(CultureInfo.InvariantCulture)}-{Iid.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The floor: the Table operations the service makes for one request (see src/StatusChecks.Core/Storage/Tables and
/// Services: ProjectAccess, StatusCheckService, MergeRequestEvaluator), made directly, in the same order and with
/// the same parallelism, so API throughput can be compared with what storage alone allows.
/// </summary>
internal sealed class TableFloor(TableServiceClient service, FloorTarget target)
{
    private static long nextId = 1_000_000_000; // the service's ids come from memory too (hi/lo blocks); no storage call

    private readonly TableClient tokens = service.GetTableClient("Tokens");
    private readonly TableClient projects = service.GetTableClient("Projects");
    private readonly TableClient members = service.GetTableClient("Members");
    private readonly TableClient mergeRequests = service.GetTableClient("MergeRequests");
    private readonly TableClient checks = service.GetTableClient("StatusChecks");
    private readonly TableClient branches = service.GetTableClient("ProtectedBranches");
    private readonly TableClient responses = service.GetTableClient("CheckResponses");
    private readonly string project = target.ProjectId.ToString(CultureInfo.InvariantCulture);

    /// <summary>GET .../merge_requests/:iid/status_checks: 4 point reads, 3 partition queries, one query per check.</summary>
    public async Task<bool> ListStatusChecksAsync(CancellationToken cancellationToken)
    {
        await AuthorizeAsync(cancellationToken);
        await ReadMergeRequestAsync(cancellationToken);
        await EvaluateAsync(cancellationToken);
        return true;
    }

    /// <summary>POST .../status_check_responses: as the GET plus the check's row and branches before, and the insert.</summary>
    public async Task<bool> RespondAsync(long checkId, string status, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(cancellationToken);
        await ReadMergeRequestAsync(cancellationToken);
        await Require(checks.GetEntityIfExistsAsync<TableEntity>(project, "check|" + Id(checkId), cancellationToken: cancellationToken));
        await ReadAllAsync(branches, project, "branch|", cancellationToken);

        var createdAt = DateTimeOffset.UtcNow;
        var id = Interlocked.Increment(ref nextId);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks;
        await responses.AddEntityAsync(
            new TableEntity(target.ResponsePartition, $"resp|{Id(checkId)}|{target.Sha}|{Id(inverted)}|{Id(id)}")
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

        await EvaluateAsync(cancellationToken); // the response body describes the MR: its checks evaluated again
        return true;
    }

    /// <summary>Deletes the responses a POST phase added (the service's and the floor's), so each phase starts equal.</summary>
    public static async Task<int> DeleteResponsesAsync(TableServiceClient service, FloorTarget target, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient("CheckResponses");
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(target.ResponsePartition, "resp|"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100)) // a transaction holds at most 100 actions
        {
            await table.SubmitTransactionAsync(
                chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(target.ResponsePartition, key))),
                cancellationToken);
        }

        return keys.Count;
    }

    /// <summary>Authenticator (token row), then ProjectAccess (project row, member row).</summary>
    private async Task AuthorizeAsync(CancellationToken cancellationToken)
    {
        await Require(tokens.GetEntityIfExistsAsync<TableEntity>(target.TokenHash, "token", cancellationToken: cancellationToken));
        await Require(projects.GetEntityIfExistsAsync<TableEntity>("projects", "id|" + Id(target.ProjectId), cancellationToken: cancellationToken));
        await Require(members.GetEntityIfExistsAsync<TableEntity>(project, "member|" + Id(target.UserId), cancellationToken: cancellationToken));
    }

    private Task ReadMergeRequestAsync(CancellationToken cancellationToken) =>
        Require(mergeRequests.GetEntityIfExistsAsync<TableEntity>(project, "mr|" + Id(target.Iid), cancellationToken: cancellationToken));

    /// <summary>MergeRequestEvaluator: checks and branches (in parallel), resets, then each check's latest response (in parallel).</summary>
    private async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(ReadAllAsync(checks, project, "check|", cancellationToken), ReadAllAsync(branches, project, "branch|", cancellationToken));
        await ReadAllAsync(responses, target.ResponsePartition, "reset|", cancellationToken);
        await Task.WhenAll(target.CheckIds.Select(async checkId =>
        {
            await foreach (var latest in responses.QueryAsync<TableEntity>(
                               Range(target.ResponsePartition, $"resp|{Id(checkId)}|{target.Sha}|"), maxPerPage: 1, cancellationToken: cancellationToken))
            {
                return latest;
            }

            return null;
        }));
    }

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
