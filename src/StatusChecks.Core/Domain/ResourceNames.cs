namespace StatusChecks.Core.Domain;

/// <summary>
/// The things GitLab names in <c>404 {Thing} Not Found</c> (<see cref="DomainError.NotFound"/>), as the wire spells them.
/// The one list: services throw with these, the HTTP edge answers unparseable route values with them, and the route
/// catalogue documents them.
/// </summary>
public static class ResourceNames
{
    public const string Project = "Project";
    public const string User = "User";
    public const string MergeRequest = "Merge Request";
    public const string ExternalStatusCheck = "External Status Check";

    /// <summary>(extension) A notification attempt of the delivery log.</summary>
    public const string Delivery = "Delivery";

    /// <summary>(extension) A project's link to GitLab.</summary>
    public const string GitLabLink = "GitLab Link";
}
