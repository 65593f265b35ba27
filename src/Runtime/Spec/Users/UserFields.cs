using System.Globalization;

namespace ContainerPS.Runtime.Spec.Users;

/// <summary>Number parsing shared by the passwd/group readers (Go's strconv.Atoi, errors as 0 or "not numeric").</summary>
internal static class UserFields
{
    public static int Number(string s) => TryNumber(s, out var n) ? n : 0;

    public static bool TryNumber(string s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
