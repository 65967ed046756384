namespace StatusChecks.Functions.Api.Deliveries;

/// <summary>The things the delivery log routes can fail to find (404 "&lt;Thing&gt; Not Found").</summary>
internal static class DeliveryRoutes
{
    public const string MergeRequestNotFound = "Merge Request";
    public const string CheckNotFound = "External Status Check";
    public const string DeliveryNotFound = "Delivery";
}
