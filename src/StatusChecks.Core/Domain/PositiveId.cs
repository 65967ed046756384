using System.Globalization;

namespace StatusChecks.Core.Domain;

/// <summary>
/// The ids routes carry (a merge request's iid, a check, a user, a delivery): positive 64-bit integers in plain digits.
/// Parsed once at the edge (here, or by ApiRequest for ids in a body); services take them as given and do not check
/// them again (a lookup of an id nothing has finds nothing, which is the answer).
/// </summary>
public static class RouteId
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
