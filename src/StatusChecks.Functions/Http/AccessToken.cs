using System.Net.Http.Headers;

namespace StatusChecks.Functions.Http;

/// <summary>
/// Finds the caller's token where GitLab looks, in GitLab's order: <c>private_token</c> parameter,
/// <c>PRIVATE-TOKEN</c> header, OAuth <c>access_token</c> parameter, <c>Authorization: Bearer</c>.
/// The token is a secret: it is returned, never logged.
/// </summary>
internal static class AccessToken
{
    private const string BearerPrefix = "Bearer ";

    public static string? Find(HttpHeaders headers, string? privateTokenParameter, string? accessTokenParameter) =>
        Present(privateTokenParameter)
        ?? Present(Header(headers, "PRIVATE-TOKEN"))
        ?? Present(accessTokenParameter)
        ?? Bearer(Header(headers, "Authorization"));

    private static string? Bearer(string? authorization) =>
        authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? Present(authorization[BearerPrefix.Length..])
            : null;

    private static string? Header(HttpHeaders headers, string name)
    {
        // NonValidated: the raw value as sent, without the typed parser re-formatting it.
        if (!headers.NonValidated.TryGetValues(name, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            return value;
        }

        return null;
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
