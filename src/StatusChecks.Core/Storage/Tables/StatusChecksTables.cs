using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The domain's tables, created on first use (once per process) under <see cref="StorageOptions.NamePrefix"/>.
/// A failed creation is forgotten so the next request tries again (storage may come back).
/// </summary>
internal sealed class StatusChecksTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    public const string Ids = "Ids";
    public const string Projects = "Projects";
    public const string Users = "Users";
    public const string Tokens = "Tokens";
    public const string Members = "Members";
    public const string ProtectedBranches = "ProtectedBranches";
    public const string StatusChecks = "StatusChecks";
    // V2: the MR's status rows moved here from the CheckResponses table (retired), so rows of the first layout are
    // never read as if they were complete.
    public const string MergeRequests = "MergeRequestsV2";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var table = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await table.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (table.Value.IsFaulted || table.Value.IsCanceled)
        {
            tables.TryRemove(KeyValuePair.Create(name, table));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(options.Value.NamePrefix + name);
        // Not the caller's token: the creation is shared by every request waiting for it.
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}
