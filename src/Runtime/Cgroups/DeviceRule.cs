using System.Globalization;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// One device cgroup rule, in the order-sensitive list the OCI spec's
/// <c>linux.resources.devices</c> holds: allow or deny <see cref="Access"/> ("r", "w", "m") to
/// devices of <see cref="Type"/> ('a' all, 'b' block, 'c' char) with the given numbers (null =
/// any). Its text form is the v1 kernel's rule with a verb: "allow c 1:5 rwm", "deny a *:* rwm".
/// </summary>
public readonly record struct DeviceRule(bool Allow, char Type, long? Major, long? Minor, string Access)
{
    /// <summary>"deny a *:* rwm": the start of every container's list (runc treats a list without one the same way).</summary>
    public static DeviceRule DenyAll { get; } = new(false, 'a', null, null, "rwm");

    /// <summary>True for type 'a', which the kernel reads as "every device" whatever numbers and access follow.</summary>
    public bool IsAll => Type == 'a';

    /// <summary>
    /// The line written to v1's devices.allow / devices.deny ("c 136:* rwm"; "a" for all devices,
    /// which resets the cgroup's default and clears its exceptions).
    /// </summary>
    public string KernelLine => IsAll ? "a" : $"{Type} {Number(Major)}:{Number(Minor)} {Access}";

    public override string ToString() => $"{(Allow ? "allow" : "deny")} {Type} {Number(Major)}:{Number(Minor)} {Access}";

    /// <summary>True when some device matched by this rule is also matched by <paramref name="other"/>.</summary>
    public bool Overlaps(DeviceRule other) =>
        (IsAll || other.IsAll || Type == other.Type)
        && (Major is null || other.Major is null || Major == other.Major)
        && (Minor is null || other.Minor is null || Minor == other.Minor);

    /// <summary>A rule from its parts as the OCI spec spells them (type "a"/"b"/"c" or null for all; access null or empty for "rwm").</summary>
    /// <exception cref="CgroupException">InvalidArgument: an unknown type, negative numbers, access beyond "rwm", or a partial rule for all devices.</exception>
    public static DeviceRule Create(bool allow, string? type, long? major, long? minor, string? access)
    {
        var t = string.IsNullOrEmpty(type) ? 'a' : type.Length == 1 ? type[0] : '?';
        if (t is not ('a' or 'b' or 'c')) throw Invalid(type ?? "", $"device rule type \"{type}\" must be a, b or c");
        if (major is < 0 || minor is < 0) throw Invalid(type ?? "", $"device rule numbers {major}:{minor} must not be negative");
        var a = string.IsNullOrEmpty(access) ? "rwm" : access;
        if (a.Any(c => c is not ('r' or 'w' or 'm')) || a.Distinct().Count() != a.Length)
            throw Invalid(access ?? "", $"device rule access \"{access}\" must be made of r, w and m");
        // The kernel's "a" ignores numbers and access (it resets the whole list): anything narrower would be widened silently.
        if (t == 'a' && (major is not null || minor is not null || a.Length != 3))
            throw Invalid(access ?? "", $"a device rule for all devices cannot name numbers or partial access ({major}:{minor} {a})");
        return new DeviceRule(allow, t, major, minor, Canonical(a));
    }

    /// <summary>Reads <see cref="ToString"/>'s form ("allow c 136:* rwm").</summary>
    /// <exception cref="CgroupException">InvalidArgument: not such a rule.</exception>
    public static DeviceRule Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var numbers = parts.Length == 4 ? parts[2].Split(':') : Array.Empty<string>();
        if (parts.Length != 4 || parts[0] is not ("allow" or "deny") || numbers.Length != 2)
            throw Invalid(text, $"device rule \"{text}\" is not \"allow|deny a|b|c major:minor access\"");
        return Create(parts[0] == "allow", parts[1], ParseNumber(numbers[0], text), ParseNumber(numbers[1], text), parts[3]);
    }

    /// <summary>
    /// The rules with writes that cannot change the kernel's result dropped: everything before the
    /// last rule for all devices (which resets the list), a rule repeated with no overlapping rule
    /// of the other verb in between, and a rule with the default's verb and no overlapping rule of
    /// the other verb since the reset (a deny under deny-all that takes nothing back). Each remaining rule is one write on the container's start path.
    /// </summary>
    public static List<DeviceRule> Simplify(IEnumerable<DeviceRule> rules)
    {
        var list = rules.ToList();
        var start = list.FindLastIndex(r => r.IsAll);
        var result = new List<DeviceRule>();
        if (start >= 0) result.Add(list[start]);
        bool? byDefault = start >= 0 ? list[start].Allow : null;
        for (var i = start + 1; i < list.Count; i++)
        {
            var rule = list[i];
            var previous = result.FindLastIndex(r => r == rule);
            if (previous >= 0 && !result.Skip(previous + 1).Any(r => r.Allow != rule.Allow && r.Overlaps(rule))) continue;
            // A rule saying what the default already says only takes back an earlier opposite one.
            if (rule.Allow == byDefault && !result.Any(r => r.Allow != rule.Allow && r.Overlaps(rule))) continue;
            result.Add(rule);
        }
        return result;
    }

    private static long? ParseNumber(string text, string rule) =>
        text == "*" ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw Invalid(rule, $"device rule \"{rule}\": \"{text}\" is not a device number or *");

    /// <summary>Access letters in the kernel's order, so equal rules compare equal.</summary>
    private static string Canonical(string access) =>
        (access.Contains('r') ? "r" : "") + (access.Contains('w') ? "w" : "") + (access.Contains('m') ? "m" : "");

    private static string Number(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "*";

    private static CgroupException Invalid(string what, string message) => new(CgroupErrorKind.InvalidArgument, what, message);
}
