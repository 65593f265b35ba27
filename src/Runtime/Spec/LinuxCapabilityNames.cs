using System.Globalization;
using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// Linux capability names ("CAP_*") in kernel bit order (the table in <see cref="Capability"/>),
/// Docker's name normalisation, and the caller's own capability bounding set: a container can only
/// be granted what the process starting it still holds.
/// </summary>
public static class LinuxCapabilityNames
{
    /// <summary>Every capability the kernel headers name, index = capability number.</summary>
    public static IReadOnlyList<string> All { get; } =
        Enumerable.Range(0, Capability.CAP_LAST_KNOWN + 1).Select(Capability.Name).ToArray();

    /// <summary>The capability number of a "CAP_*" name, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
            if (string.Equals(All[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>
    /// moby's NormalizeLegacyCapabilities: upper-cases and adds "CAP_" when missing; "ALL" stays
    /// "ALL". Returns null for a name the kernel headers do not define.
    /// </summary>
    public static string? Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var c = name.Trim().ToUpperInvariant();
        if (c == "ALL") return c;
        if (!c.StartsWith("CAP_", StringComparison.Ordinal)) c = "CAP_" + c;
        return IndexOf(c) >= 0 ? c : null;
    }

    /// <summary>The names of the bits set in a capability mask, in bit order.</summary>
    public static List<string> FromMask(ulong mask)
    {
        var names = new List<string>();
        for (var i = 0; i < All.Count; i++)
            if ((mask & (1UL << i)) != 0) names.Add(All[i]);
        return names;
    }

    /// <summary>
    /// The calling process's bounding set ("CapBnd" in /proc/self/status): what it can still hand to
    /// a child. On this kind of machine root lacks CAP_SYS_RESOURCE, so "ALL" must not include it or
    /// runc fails with EPERM while applying capabilities. Null when the file cannot be read.
    /// </summary>
    public static List<string>? ReadCallerBoundingSet()
    {
        string text;
        try { text = File.ReadAllText("/proc/self/status"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        return ParseBoundingSet(text);
    }

    /// <summary>Reads the CapBnd line of a /proc/&lt;pid&gt;/status text; null when it has none.</summary>
    public static List<string>? ParseBoundingSet(string procStatus)
    {
        foreach (var line in procStatus.Split('\n'))
        {
            if (!line.StartsWith("CapBnd:", StringComparison.Ordinal)) continue;
            return ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                ? FromMask(mask)
                : null;
        }
        return null;
    }
}
