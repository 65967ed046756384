namespace StatusChecks.Core.Storage;

/// <summary>
/// Where StatusChecks keeps its data. Either a connection string (Azurite, local development) or the
/// service URIs of an account reached by Microsoft Entra identity (Azure), never both.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "StatusChecks:Storage";

    /// <summary>A storage connection string; when unset, <c>AzureWebJobsStorage</c> is used.</summary>
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; unset uses DefaultAzureCredential's chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix for table and queue names, so several instances (or test runs) can share one account.</summary>
    public string NamePrefix { get; set; } = "";

    /// <summary>How long one storage call may take before the request gives up and answers 503.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Diagnostics, off by default: HTTP responses carry <c>X-StatusChecks-Storage-Calls</c> (every storage call the
    /// request made) and <c>X-StatusChecks-Storage-Round-Trips</c> (those it waited for in sequence). Tests and the
    /// benchmark turn it on.
    /// </summary>
    public bool ReportCalls { get; set; }
}
