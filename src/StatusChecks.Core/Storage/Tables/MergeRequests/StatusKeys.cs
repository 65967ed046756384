using Azure.Data.Tables;

namespace StatusChecks.Core.Storage.Tables;

/// <summary>Row keys and shapes of an MR's status rows (the schema: <see cref="Keys"/>).</summary>
internal static class StatusKeys
{
    public const string Latest = "latest|";
    public const string Reset = "reset|";
    public const string Version = "version";

    public static string Prefix(long iid, string sha) => $"st|{Keys.Id(iid)}|{sha}|";

    public static string LatestKey(long iid, string sha, long checkId) => Prefix(iid, sha) + Latest + Keys.Id(checkId);

    public static string ResetKey(long iid, string sha, long checkId) => Prefix(iid, sha) + Reset + Keys.Id(checkId);

    public static string VersionKey(long iid, string sha) => Prefix(iid, sha) + Version;

    /// <summary>Rewrites the version row unconditionally: concurrent responses never collide on it, and its ETag changes.</summary>
    public static TableTransactionAction NewVersion(string partition, long iid, string sha) =>
        new(TableTransactionActionType.UpsertReplace, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(iid, sha) });

    /// <summary>
    /// The version row as a merge read it: replaced under its ETag (or added, when there was none), so the merge's
    /// transaction fails if any response or reset landed at that sha since.
    /// </summary>
    public static TableTransactionAction CheckVersion(string partition, MergeRequestStatuses asRead) =>
        asRead.Version is { } etag
            ? new(TableTransactionActionType.UpdateReplace, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(asRead.Iid, asRead.Sha) }, etag)
            : new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = partition, RowKey = VersionKey(asRead.Iid, asRead.Sha) });

    public static CheckResponseEntity ToResponse(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        Timestamp = row.Timestamp,
        Id = row.GetInt64(nameof(CheckResponseEntity.Id)) ?? 0,
        ProjectId = row.GetInt64(nameof(CheckResponseEntity.ProjectId)) ?? 0,
        MergeRequestIid = row.GetInt64(nameof(CheckResponseEntity.MergeRequestIid)) ?? 0,
        CheckId = row.GetInt64(nameof(CheckResponseEntity.CheckId)) ?? 0,
        Sha = row.GetString(nameof(CheckResponseEntity.Sha)) ?? "",
        Status = row.GetString(nameof(CheckResponseEntity.Status)) ?? "",
        Actor = row.GetString(nameof(CheckResponseEntity.Actor)) ?? "",
        CreatedAt = row.GetDateTimeOffset(nameof(CheckResponseEntity.CreatedAt)) ?? default,
    };

    public static CheckResetEntity ToReset(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        Timestamp = row.Timestamp,
        CheckId = row.GetInt64(nameof(CheckResetEntity.CheckId)) ?? 0,
        Sha = row.GetString(nameof(CheckResetEntity.Sha)) ?? "",
        At = row.GetDateTimeOffset(nameof(CheckResetEntity.At)) ?? default,
        Reason = row.GetString(nameof(CheckResetEntity.Reason)) ?? "",
    };
}
