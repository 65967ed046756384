using Azure.Data.Tables;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;

namespace StatusChecks.Core.Storage.Tables;

internal sealed class TableMemberStore(StatusChecksTables tables, AccessCache cache) : IMemberStore
{
    private const string Prefix = "member|";

    public async Task<MemberEntity?> GetAsync(long projectId, long userId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Members, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<MemberEntity>(Keys.Partition(projectId), Prefix + Keys.Id(userId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<Page<MemberEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken) =>
        await Pages.ReadAsync<MemberEntity>(await tables.GetAsync(StatusChecksTables.Members, cancellationToken), Keys.Partition(projectId), Prefix, page, cancellationToken);

    public async Task<MemberEntity> UpdateAsync(MemberEntity member, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Members, cancellationToken);
        try
        {
            var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(member, member.ETag, TableUpdateMode.Replace, cancellationToken));
            return member with { ETag = response.Headers.ETag ?? default };
        }
        finally
        {
            cache.ForgetMember(member.ProjectId, member.UserId); // this instance sees its own change at once
        }
    }

    public async Task AddAsync(MemberEntity member, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Members, cancellationToken);
        var partition = Keys.Partition(member.ProjectId);
        var rowKey = Prefix + Keys.Id(member.UserId);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, member with { PartitionKey = partition, RowKey = rowKey }),
                await Counters.ChangeAsync(table, partition, +1, cancellationToken),
            ],
            new Dictionary<string, string> { [rowKey] = ParameterNames.UserId },
            cancellationToken);
        cache.ForgetMember(member.ProjectId, member.UserId);
    }

    public async Task RemoveAsync(MemberEntity member, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Members, cancellationToken);
        try
        {
            await Transactions.SubmitAsync(
                table,
                [
                    new(TableTransactionActionType.Delete, member, member.ETag),
                    await Counters.ChangeAsync(table, member.PartitionKey, -1, cancellationToken),
                ],
                new Dictionary<string, string>(),
                cancellationToken);
        }
        finally
        {
            cache.ForgetMember(member.ProjectId, member.UserId); // a removed member loses access here at once
        }
    }
}
