using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace StatusChecks.IntegrationTests.Resilience;

/// <summary>
/// Every row of every table in one storage account (all properties except Timestamp and ETag, which the service
/// changes on every write), so a test can prove that a request stored nothing: take one before, one after, diff.
/// </summary>
/// <remarks>
/// The <c>Ids</c> table is left out on purpose. It holds the id allocator's high-water marks (hi/lo blocks): a
/// refused request may legitimately reserve a block before its write is refused (e.g. a duplicate username takes
/// an id, then the unique index says no), and an id gap is not user data. Every other table — projects, users,
/// tokens, members, branches, checks and their audit rows, merge requests, responses, deliveries — must not move.
/// </remarks>
internal sealed class StoreSnapshot
{
    public const string IdAllocatorTable = "Ids";

    private readonly SortedDictionary<string, string> rows;

    private StoreSnapshot(SortedDictionary<string, string> rows) => this.rows = rows;

    public int Count => rows.Count;

    /// <summary>Rows per table, e.g. "Projects 4, Users 12".</summary>
    public string Summary => string.Join(", ", rows.Keys.GroupBy(key => key[..key.IndexOf(' ', StringComparison.Ordinal)]).Select(table => $"{table.Key} {table.Count()}"));

    public static async Task<StoreSnapshot> TakeAsync(TableServiceClient service)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var table in service.QueryAsync())
        {
            if (table.Name == IdAllocatorTable)
            {
                continue;
            }

            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows[$"{table.Name} | {entity.PartitionKey} | {entity.RowKey}"] = Describe(entity);
            }
        }

        return new StoreSnapshot(rows);
    }

    /// <summary>Rows added, removed or changed since <paramref name="before"/>, one per line; empty when equal.</summary>
    public string DifferencesFrom(StoreSnapshot before)
    {
        var report = new StringBuilder();
        foreach (var (key, value) in rows)
        {
            if (!before.rows.TryGetValue(key, out var old))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"+ {key}: {value}");
            }
            else if (old != value)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"~ {key}: {old} -> {value}");
            }
        }

        foreach (var key in before.rows.Keys.Where(key => !rows.ContainsKey(key)))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- {key}");
        }

        return report.ToString();
    }

    private static string Describe(TableEntity entity) =>
        string.Join(", ", entity
            .Where(property => property.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            .OrderBy(property => property.Key, StringComparer.Ordinal)
            .Select(property => $"{property.Key}={Format(property.Value)}"));

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTimeOffset time => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
