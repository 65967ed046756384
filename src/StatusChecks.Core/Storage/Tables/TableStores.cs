using Azure.Data.Tables;
using StatusChecks.Core.Domain;
using StatusChecks.Core.Services;

namespace StatusChecks.Core.Storage.Tables;

// Table layouts (table: partition key / row keys):
//   Projects:          "projects" / "id|<id>", "path|<lower namespace:path>" -> id
//   Users:             "users" / "id|<id>", "username|<lower>", "email|<sha256 lower>"
//   Tokens:            <sha256 of token> / "token"
//   Members:           <projectId> / "member|<userId>", "count|NN"
//   ProtectedBranches: <projectId> / "branch|<id>", "name|<sha256 name>" -> id, "count|NN"
//   StatusChecks:      <projectId> / "check|<id>", "name|<sha256>", "url|<sha256>", "audit|<ticks>|<guid>", "count|NN"
//   MergeRequestsV2:   <projectId> / "mr|<iid>", "iid" (last iid), "st|<iid>|<sha>|latest|<checkId>", "st|<iid>|<sha>|reset|<checkId>",
//                      "st|<iid>|<sha>|version", "resp|<iid>|<checkId>|<sha>|<inverted ticks>|<id>" (see TableCheckResponseStore)

internal sealed class TableProjectStore(StatusChecksTables tables, AccessCache cache) : IProjectStore
{
    private const string Partition = "projects";

    public async Task<ProjectEntity?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<ProjectEntity>(Partition, "id|" + Keys.Id(id), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<ProjectEntity?> FindByPathAsync(string pathWithNamespace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var index = await table.GetEntityIfExistsAsync<IndexEntity>(Partition, PathKey(pathWithNamespace), cancellationToken: cancellationToken);
        return index.HasValue ? await GetAsync(index.Value!.TargetId, cancellationToken) : null;
    }

    public async Task CreateAsync(ProjectEntity project, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        var pathKey = PathKey(project.Namespace + "/" + project.Path);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, project with { PartitionKey = Partition, RowKey = "id|" + Keys.Id(project.Id) }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = Partition, RowKey = pathKey, TargetId = project.Id }),
            ],
            new Dictionary<string, string> { [pathKey] = ParameterNames.Path },
            cancellationToken);
    }

    public async Task<ProjectEntity> UpdateAsync(ProjectEntity project, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.Projects, cancellationToken);
        cache.ForgetProject(project);
        var response = await Transactions.WriteAsync(() => table.UpdateEntityAsync(project, project.ETag, TableUpdateMode.Replace, cancellationToken));
        cache.ForgetProject(project); // and after, in case a read cached the old row meanwhile
        return project with { ETag = response.Headers.ETag ?? default };
    }

    // Paths hold only [a-z0-9_.-] and '/', which row keys forbid: ':' never occurs in a path, so the mapping is one-to-one.
    private static string PathKey(string pathWithNamespace) => "path|" + pathWithNamespace.ToLowerInvariant().Replace('/', ':');
}

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

internal sealed class TableProtectedBranchStore(StatusChecksTables tables) : IProtectedBranchStore
{
    private const string Prefix = "branch|";

    public async Task<IReadOnlyList<ProtectedBranchEntity>> ListAllAsync(long projectId, CancellationToken cancellationToken) =>
        await Pages.ReadAllAsync<ProtectedBranchEntity>(await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken), Keys.Partition(projectId), Prefix, cancellationToken);

    public async Task<Page<ProtectedBranchEntity>> ListAsync(long projectId, PageRequest page, CancellationToken cancellationToken) =>
        await Pages.ReadAsync<ProtectedBranchEntity>(await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken), Keys.Partition(projectId), Prefix, page, cancellationToken);

    public async Task<ProtectedBranchEntity?> FindByNameAsync(long projectId, string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        var partition = Keys.Partition(projectId);
        var index = await table.GetEntityIfExistsAsync<IndexEntity>(partition, NameKey(name), cancellationToken: cancellationToken);
        if (!index.HasValue)
        {
            return null;
        }

        var row = await table.GetEntityIfExistsAsync<ProtectedBranchEntity>(partition, Prefix + Keys.Id(index.Value!.TargetId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task CreateAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        var partition = Keys.Partition(branch.ProjectId);
        var nameKey = NameKey(branch.Name);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Add, branch with { PartitionKey = partition, RowKey = Prefix + Keys.Id(branch.Id) }),
                new(TableTransactionActionType.Add, new IndexEntity { PartitionKey = partition, RowKey = nameKey, TargetId = branch.Id }),
                await Counters.ChangeAsync(table, partition, +1, cancellationToken),
            ],
            new Dictionary<string, string> { [nameKey] = ParameterNames.Name },
            cancellationToken);
    }

    public async Task DeleteAsync(ProtectedBranchEntity branch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StatusChecksTables.ProtectedBranches, cancellationToken);
        await Transactions.SubmitAsync(
            table,
            [
                new(TableTransactionActionType.Delete, branch, branch.ETag),
                new(TableTransactionActionType.Delete, new IndexEntity { PartitionKey = branch.PartitionKey, RowKey = NameKey(branch.Name) }),
                await Counters.ChangeAsync(table, branch.PartitionKey, -1, cancellationToken),
            ],
            new Dictionary<string, string>(),
            cancellationToken);
    }

    private static string NameKey(string name) => "name|" + Keys.Hash(name);
}
