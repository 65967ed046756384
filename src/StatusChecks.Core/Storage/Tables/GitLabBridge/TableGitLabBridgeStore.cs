using System.Globalization;
using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal sealed class TableGitLabBridgeStore(StatusChecksTables tables) : IGitLabBridgeStore
{
    public const string TableName = "GitLabBridge";
    private const string LinkRow = "link";
    private const string ReportRow = "desired";
    private const string AttemptPrefix = "attempt|";

    public async Task<GitLabLinkEntity?> GetLinkAsync(long projectId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<GitLabLinkEntity>(LinkPartition(projectId), LinkRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<IReadOnlyList<GitLabLinkIndexEntity>> FindLinksAsync(long gitLabProjectId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var rows = new List<GitLabLinkIndexEntity>();
        await foreach (var row in table.QueryAsync<GitLabLinkIndexEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition(gitLabProjectId)}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<GitLabLinkEntity> SaveLinkAsync(GitLabLinkEntity link, GitLabLinkEntity? previous, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        // The lookup row first: a hook is then accepted only once the link exists (the receiver reads the link too).
        await table.UpsertEntityAsync(
            new GitLabLinkIndexEntity
            {
                PartitionKey = IndexPartition(link.GitLabProjectId), RowKey = Keys.Id(link.ProjectId), ProjectId = link.ProjectId, WebhookTokenHash = link.WebhookTokenHash,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        var row = link with { PartitionKey = LinkPartition(link.ProjectId), RowKey = LinkRow };
        var response = await Transactions.WriteAsync(() => previous is null
            ? table.AddEntityAsync(row, cancellationToken)
            : table.UpdateEntityAsync(row, previous.ETag, TableUpdateMode.Replace, cancellationToken));
        if (previous is not null && previous.GitLabProjectId != link.GitLabProjectId)
        {
            await DeleteIndexAsync(table, previous, cancellationToken);
        }

        return row with { ETag = response.Headers.ETag ?? default };
    }

    public async Task DeleteLinkAsync(GitLabLinkEntity link, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await Transactions.WriteAsync(() => table.DeleteEntityAsync(link.PartitionKey, link.RowKey, link.ETag, cancellationToken));
        await DeleteIndexAsync(table, link, cancellationToken);
    }

    public async Task<bool> AddEventAsync(GitLabEventEntity gitLabEvent, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.AddEntityAsync(gitLabEvent with { PartitionKey = EventPartition(gitLabEvent.ProjectId), RowKey = gitLabEvent.EventUuid }, cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<GitLabEventEntity?> GetEventAsync(long projectId, string eventUuid, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<GitLabEventEntity>(EventPartition(projectId), eventUuid, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task UpdateEventAsync(GitLabEventEntity gitLabEvent, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.UpdateEntityAsync(gitLabEvent, Azure.ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<CommitStatusReportEntity?> GetReportAsync(long projectId, long iid, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<CommitStatusReportEntity>(ReportPartition(projectId, iid), ReportRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<CommitStatusReportEntity> SaveReportAsync(CommitStatusReportEntity report, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var isNew = report.ETag == default;
        var row = report with { PartitionKey = ReportPartition(report.ProjectId, report.Iid), RowKey = ReportRow };
        var response = await Transactions.WriteAsync(() => isNew
            ? table.AddEntityAsync(row, cancellationToken)
            : table.UpdateEntityAsync(row, report.ETag, TableUpdateMode.Replace, cancellationToken));
        return row with { ETag = response.Headers.ETag ?? default };
    }

    public async Task AddAttemptAsync(long projectId, CommitStatusAttemptEntity attempt, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - attempt.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        await table.AddEntityAsync(attempt with { PartitionKey = AttemptPartition(projectId), RowKey = $"{AttemptPrefix}{inverted}|{Guid.NewGuid():N}" }, cancellationToken);
    }

    public async Task<Page<CommitStatusAttemptEntity>> ListAttemptsAsync(long projectId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = AttemptPartition(projectId);
        // A log read by Maintainers now and then: counting its keys is cheaper than a counter on every post.
        long total = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(Pages.Range(partition, AttemptPrefix), maxPerPage: 1000, select: [nameof(ITableEntity.RowKey)], cancellationToken: cancellationToken))
        {
            total++;
        }

        return await Pages.ReadAsync<CommitStatusAttemptEntity>(table, partition, AttemptPrefix, page, total, cancellationToken);
    }

    private static async Task DeleteIndexAsync(TableClient table, GitLabLinkEntity link, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(IndexPartition(link.GitLabProjectId), Keys.Id(link.ProjectId), Azure.ETag.All, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // Gone already.
        }
    }

    private static string LinkPartition(long projectId) => "link-" + Keys.Partition(projectId);

    private static string IndexPartition(long gitLabProjectId) => "gitlab-" + gitLabProjectId.ToString(CultureInfo.InvariantCulture);

    private static string EventPartition(long projectId) => "events-" + Keys.Partition(projectId);

    private static string ReportPartition(long projectId, long iid) => "report-" + Keys.MergeRequestPartition(projectId, iid);

    private static string AttemptPartition(long projectId) => "attempts-" + Keys.Partition(projectId);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableName, cancellationToken);
}
