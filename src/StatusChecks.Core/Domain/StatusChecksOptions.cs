namespace StatusChecks.Core.Domain;

/// <summary>The <c>StatusChecks</c> configuration section as the domain uses it.</summary>
public sealed class StatusChecksOptions
{
    public const string SectionName = "StatusChecks";

    /// <summary>The instance administrator's token (at least 20 characters); unset = no administrator.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Base64 of 32 bytes: the AES-GCM key for shared secrets. Required only once a secret is stored.</summary>
    public string? SecretsKey { get; set; }

    /// <summary>
    /// Keys <see cref="SecretsKey"/> replaced (each base64 of 32 bytes): they still decrypt the secrets written with
    /// them, and never encrypt. <c>StatusChecks__PreviousSecretsKeys__0</c>, <c>__1</c>, ... in the environment.
    /// </summary>
    public List<string> PreviousSecretsKeys { get; set; } = [];

    /// <summary>A check still pending this long after its notification reports <c>failed</c>.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The app's public host name, which Azure App Service and Functions set on every instance.</summary>
    public const string PlatformHostNameSetting = "WEBSITE_HOSTNAME";

    /// <summary>
    /// Base of the <c>web_url</c> fields (GitLab's instance URL), the bridge's webhook URL and its statuses' links.
    /// Unset: <c>https://</c> plus the platform's host name in Azure (<see cref="DefaultWebBaseUrl"/>).
    /// </summary>
    public Uri WebBaseUrl { get; set; } = DefaultWebBaseUrl(null);

    /// <summary>The app's own address where the platform names it (Azure serves HTTPS only), else <c>http://localhost</c>.</summary>
    public static Uri DefaultWebBaseUrl(string? platformHostName) =>
        string.IsNullOrWhiteSpace(platformHostName) ? new("http://localhost") : new($"https://{platformHostName.Trim()}");

    /// <summary>Ids one process reserves at a time per resource type (hi/lo); bigger = fewer counter writes, bigger gaps.</summary>
    public int IdBlockSize { get; set; } = 50;

    /// <summary>
    /// How long an instance keeps tokens, projects and memberships it has read (0 = not at all). A revoked token, a
    /// removed member or a changed role takes effect on other instances within this time; the instance that made
    /// the change forgets its entries at once.
    /// </summary>
    public TimeSpan AccessCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
