using Azure;
using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>
/// The base of every table row. Rows are records so services can derive changed copies with <c>with</c>, with settable
/// properties because the Tables SDK materialises them. Keys are set by the stores (see <see cref="Keys"/>).
/// </summary>
internal abstract record Row : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
