using System.Globalization;
using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// Responses and resets live in their MR's project partition of the MergeRequests table, next to the MR row, so one
/// range query reads an MR's statuses at a sha and a merge can commit against them in one transaction: the newest
/// response and the latest reset of each check at that sha, a version row rewritten by every response and reset (its
/// ETag is the version a merge checks), and the append-only history (the responses' audit record, never read on a hot
/// path). Their keys: <see cref="Keys"/>.
/// </summary>
internal sealed class TableCheckResponseStore(StatusChecksTables tables) : ICheckResponseStore
{
    public async Task<MergeRequestStatuses> ReadAsync(long projectId, long iid, string sha, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var latest = new Dictionary<long, CheckResponseEntity>();
        var resets = new Dictionary<long, CheckResetEntity>();
        Azure.ETag? version = null;
        var prefix = StatusKeys.Prefix(iid, sha);
        await foreach (var row in table.QueryAsync<TableEntity>(Pages.Range(Keys.Partition(projectId), prefix), cancellationToken: cancellationToken))
        {
            var kind = row.RowKey.AsSpan(prefix.Length);
            if (kind.StartsWith(StatusKeys.Latest))
            {
                var response = StatusKeys.ToResponse(row);
                latest[response.CheckId] = response;
            }
            else if (kind.StartsWith(StatusKeys.Reset))
            {
                var reset = StatusKeys.ToReset(row);
                resets[reset.CheckId] = reset;
            }
            else if (kind.SequenceEqual(StatusKeys.Version))
            {
                version = row.ETag;
            }
        }

        return new MergeRequestStatuses(projectId, iid, sha, latest, resets, version);
    }

    public async Task AddAsync(CheckResponseEntity response, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(response.ProjectId);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - response.CreatedAt.UtcTicks;
        var history = response with
        {
            PartitionKey = partition,
            RowKey = $"resp|{Keys.Id(response.MergeRequestIid)}|{Keys.Id(response.CheckId)}|{response.Sha}|{inverted.ToString("D19", CultureInfo.InvariantCulture)}|{Keys.Id(response.Id)}",
        };
        var latest = response with { PartitionKey = partition, RowKey = StatusKeys.LatestKey(response.MergeRequestIid, response.Sha, response.CheckId) };
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, history),
                new(TableTransactionActionType.UpsertReplace, latest), // the last committed is the newest, as in GitLab
                StatusKeys.NewVersion(partition, response.MergeRequestIid, response.Sha),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    public async Task ResetAsync(long projectId, long iid, CheckResetEntity reset, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = Keys.Partition(projectId);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.UpsertReplace, reset with { PartitionKey = partition, RowKey = StatusKeys.ResetKey(iid, reset.Sha, reset.CheckId) }),
                StatusKeys.NewVersion(partition, iid, reset.Sha),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StatusChecksTables.MergeRequests, cancellationToken);
}
