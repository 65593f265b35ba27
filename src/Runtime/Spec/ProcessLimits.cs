using System.Globalization;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// The resource limits of a process as /proc/&lt;pid&gt;/limits shows them, keyed by the
/// runtime-spec names ("RLIMIT_NOFILE"). Read from /proc rather than getrlimit(2) so the shared
/// runtime library needs no extra interop; "unlimited" is <see cref="ulong.MaxValue"/> (RLIM_INFINITY).
/// </summary>
public sealed class ProcessLimits
{
    private static readonly Dictionary<string, string> RowToType = new(StringComparer.Ordinal)
    {
        ["Max cpu time"] = "RLIMIT_CPU",
        ["Max file size"] = "RLIMIT_FSIZE",
        ["Max data size"] = "RLIMIT_DATA",
        ["Max stack size"] = "RLIMIT_STACK",
        ["Max core file size"] = "RLIMIT_CORE",
        ["Max resident set"] = "RLIMIT_RSS",
        ["Max processes"] = "RLIMIT_NPROC",
        ["Max open files"] = "RLIMIT_NOFILE",
        ["Max locked memory"] = "RLIMIT_MEMLOCK",
        ["Max address space"] = "RLIMIT_AS",
        ["Max file locks"] = "RLIMIT_LOCKS",
        ["Max pending signals"] = "RLIMIT_SIGPENDING",
        ["Max msgqueue size"] = "RLIMIT_MSGQUEUE",
        ["Max nice priority"] = "RLIMIT_NICE",
        ["Max realtime priority"] = "RLIMIT_RTPRIO",
        ["Max realtime timeout"] = "RLIMIT_RTTIME",
    };

    private readonly Dictionary<string, (ulong Soft, ulong Hard)> _limits;

    public ProcessLimits(IReadOnlyDictionary<string, (ulong Soft, ulong Hard)> limits)
    {
        _limits = new Dictionary<string, (ulong, ulong)>(limits, StringComparer.Ordinal);
    }

    /// <summary>Limit types present ("RLIMIT_NOFILE", ...).</summary>
    public IEnumerable<string> Types => _limits.Keys;

    /// <summary>The soft and hard limit of a type, or null when unknown.</summary>
    public (ulong Soft, ulong Hard)? Get(string type) => _limits.TryGetValue(type, out var v) ? v : null;

    /// <summary>The calling process's limits, or null when /proc/self/limits cannot be read.</summary>
    public static ProcessLimits? ReadCurrent()
    {
        try { return Parse(File.ReadAllText("/proc/self/limits")); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>Parses the text of /proc/&lt;pid&gt;/limits (fixed columns located from its header).</summary>
    /// <exception cref="FormatException">The header or a value is not what the kernel writes.</exception>
    public static ProcessLimits Parse(string text)
    {
        var lines = text.Split('\n');
        var header = lines.Length > 0 ? lines[0] : "";
        var softAt = header.IndexOf("Soft Limit", StringComparison.Ordinal);
        var hardAt = header.IndexOf("Hard Limit", StringComparison.Ordinal);
        var unitsAt = header.IndexOf("Units", StringComparison.Ordinal);
        if (softAt <= 0 || hardAt <= softAt || unitsAt <= hardAt) throw new FormatException("not a /proc/<pid>/limits header: " + header);

        var limits = new Dictionary<string, (ulong, ulong)>(StringComparer.Ordinal);
        foreach (var raw in lines.Skip(1))
        {
            if (raw.Length <= hardAt) continue;
            var name = raw[..softAt].Trim();
            if (!RowToType.TryGetValue(name, out var type)) continue;
            var soft = Value(raw[softAt..hardAt]);
            var hard = Value(raw[hardAt..Math.Min(unitsAt, raw.Length)]);
            limits[type] = (soft, hard);
        }
        return new ProcessLimits(limits);
    }

    private static ulong Value(string column)
    {
        var s = column.Trim();
        if (s == "unlimited") return ulong.MaxValue;
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException("not a limit value: " + s);
    }
}
