using Microsoft.Extensions.Options;
using StatusChecks.Core.Security;

namespace StatusChecks.Core.Domain;

/// <summary>
/// Refuses to start on secrets that cannot be what the operator meant (issue 12 item 5): a Key Vault reference the
/// platform left unresolved (its literal text, derivable from the app's public name, would otherwise become the
/// admin token), an admin token short enough to guess, or a key that is not 32 bytes. Messages name the setting,
/// never its value.
/// </summary>
public sealed class StatusChecksOptionsValidation : IValidateOptions<StatusChecksOptions>
{
    public const int MinAdminTokenLength = 20;

    /// <summary>Longer would leave a revoked token or a removed member working for too long.</summary>
    public static readonly TimeSpan MaxAccessCacheDuration = TimeSpan.FromMinutes(5);

    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    public ValidateOptionsResult Validate(string? name, StatusChecksOptions options)
    {
        var failures = new List<string>();
        if (options.PendingTimeout <= TimeSpan.Zero)
        {
            failures.Add("StatusChecks:PendingTimeout must be positive.");
        }

        if (options.AccessCacheDuration < TimeSpan.Zero || options.AccessCacheDuration > MaxAccessCacheDuration)
        {
            failures.Add("StatusChecks:AccessCacheDuration must be 00:00:00 (no cache) to 00:05:00.");
        }

        if (options.IdBlockSize is < 1 or > 10_000)
        {
            failures.Add("StatusChecks:IdBlockSize must be 1..10000.");
        }

        if (IsUnresolvedReference(options.AdminToken))
        {
            failures.Add(Unresolved("StatusChecks:AdminToken"));
        }
        else if (options.AdminToken is { Length: > 0 and < MinAdminTokenLength })
        {
            failures.Add($"StatusChecks:AdminToken must be at least {MinAdminTokenLength} characters (or unset, for no administrator).");
        }

        var keys = new[] { ("StatusChecks:SecretsKey", options.SecretsKey) }
            .Concat(options.PreviousSecretsKeys.Select((key, i) => ($"StatusChecks:PreviousSecretsKeys:{i}", (string?)key)));
        foreach (var (setting, key) in keys)
        {
            if (IsUnresolvedReference(key))
            {
                failures.Add(Unresolved(setting));
            }
            else if (!AesGcmSecretProtector.IsValidKey(key))
            {
                failures.Add($"{setting} must be base64 of 32 bytes.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsUnresolvedReference(string? value) =>
        value?.TrimStart().StartsWith(KeyVaultReference, StringComparison.OrdinalIgnoreCase) == true;

    private static string Unresolved(string setting) =>
        $"{setting} is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): the platform could not read the secret. "
        + "Check that the app's identity holds Key Vault Secrets User on the vault and that the secret exists.";
}
