using Azure.Data.Tables;
using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Storage.Tables;

internal sealed class TableUserStore(StatusChecksTables tables) : IUserStore
{
    private const string Partition = "users";

    public async Task<UserEntity?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Users, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<UserEntity>(Partition, "id|" + Keys.Id(id), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateAsync(UserEntity user, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Users, cancellationToken);
        var usernameKey = "username|" + user.Username.ToLowerInvariant();
        var emailKey = "email|" + Keys.Hash(user.Email.ToLowerInvariant());
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, user with { PartitionKey = Partition, RowKey = "id|" + Keys.Id(user.Id) }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = Partition, RowKey = usernameKey, TargetId = user.Id }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = Partition, RowKey = emailKey, TargetId = user.Id }),
            ],
            new Dictionary<string, string> { [usernameKey] = ParameterNames.Username, [emailKey] = ParameterNames.Email },
            cancellationToken);
    }

    public async Task<UserEntity> GetOrAddAsync(UserEntity user, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Users, cancellationToken);
        try
        {
            await table.AddEntityAsync(user with { PartitionKey = Partition, RowKey = "id|" + Keys.Id(user.Id) }, cancellationToken);
            return user;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return await GetAsync(user.Id, cancellationToken) ?? throw new ConcurrencyException();
        }
    }

    public async Task<TokenEntity?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Tokens, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TokenEntity>(tokenHash, "token", cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateTokenAsync(string tokenHash, TokenEntity token, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Tokens, cancellationToken);
        await table.AddEntityAsync(token with { PartitionKey = tokenHash, RowKey = "token" }, cancellationToken);
    }
}
