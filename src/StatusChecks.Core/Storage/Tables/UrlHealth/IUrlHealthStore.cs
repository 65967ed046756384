using Azure;
using StatusChecks.Core.Notifications;

namespace StatusChecks.Core.Storage.Tables;

internal interface IUrlHealthStore
{
    /// <summary>The stored state and its ETag; Healthy with a default ETag when there is no row.</summary>
    Task<(UrlHealthState State, ETag ETag)> GetAsync(string urlHash, CancellationToken cancellationToken);

    /// <summary>ETag-checked (a default ETag inserts); ConcurrencyException when another instance wrote first.</summary>
    Task SetAsync(string urlHash, UrlHealthState state, ETag etag, CancellationToken cancellationToken);
}
