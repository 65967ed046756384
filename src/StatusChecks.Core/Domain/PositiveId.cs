using System.Globalization;

namespace StatusChecks.Core.Domain;

/// <summary>
/// The ids a request carries, in its route (a merge request's iid, a check, a user, a delivery) or its parameters
/// (<c>user_id</c>, <c>external_status_check_id</c>, ...): positive 64-bit integers in plain digits. Parsed once at the
/// edge (RouteValues, ApiRequest); services take them as given and do not check them again (a lookup of an id
/// nothing has finds nothing, which is the answer).
/// </summary>
public static class PositiveId
{
    /// <summary>Digits only (no sign, space or leading '+'), positive, within 64 bits.</summary>
    public static bool TryParse(string? value, out long id)
    {
        id = 0;
        return !string.IsNullOrEmpty(value)
            && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && id > 0;
    }
}
