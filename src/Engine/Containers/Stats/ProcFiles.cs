using System.Globalization;
using System.Text;

namespace ContainerPS.Engine.Containers.Stats;

/// <summary>
/// Parsers for the /proc files behind docker top and docker stats, pure functions of the
/// file text so they are tested without processes, plus the readers that feed them.
/// Formats follow procps' ps -ef columns and moby's stats collector.
/// </summary>
internal static class ProcFiles
{
    /// <summary>
    /// USER_HZ: /proc reports times in these ticks. It is part of the kernel ABI and 100 on every
    /// architecture .NET runs on (sysconf(_SC_CLK_TCK) returns the same constant).
    /// </summary>
    public const int ClockTicks = 100;

    /// <summary>/proc/&lt;pid&gt;/stat. The command name is in parentheses and may itself contain ") ", so split at the last ')'.</summary>
    /// <exception cref="FormatException">The text is not a stat line.</exception>
    public static ProcStatLine ParseStat(string text)
    {
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 > text.Length) throw new FormatException($"not a /proc/<pid>/stat line: {text}");
        var f = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 20) throw new FormatException($"not a /proc/<pid>/stat line: {text}");
        return new ProcStatLine(
            Pid: Int(text[..open].Trim()),
            Comm: text[(open + 1)..close],
            State: f[0][0],
            ParentPid: Int(f[1]),
            TtyNr: Int(f[4]),
            UserTicks: Long(f[11]),
            SystemTicks: Long(f[12]),
            StartTicks: Long(f[19]));
    }

    /// <summary>The effective UID from /proc/&lt;pid&gt;/status ("Uid: real effective saved fs").</summary>
    public static uint? EffectiveUid(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
            var f = line[4..].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            return f.Length >= 2 && uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        return null;
    }

    /// <summary>/proc/&lt;pid&gt;/cmdline (NUL-separated) joined by spaces; "[comm]" when empty, as ps shows zombies and kernel threads.</summary>
    public static string Command(ReadOnlySpan<byte> cmdline, string comm)
    {
        while (cmdline.Length > 0 && cmdline[^1] == 0) cmdline = cmdline[..^1];
        if (cmdline.Length == 0) return "[" + comm + "]";
        var text = Encoding.UTF8.GetString(cmdline);
        return text.Replace('\0', ' ');
    }

    /// <summary>The terminal a tty_nr (dev_t, new encoding) names, as ps shows it; "?" for none.</summary>
    public static string TtyName(int ttyNr)
    {
        if (ttyNr == 0) return "?";
        var major = (ttyNr >> 8) & 0xfff;
        var minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        return major switch
        {
            >= 136 and <= 143 => $"pts/{minor + (major - 136) * 256}",
            4 when minor < 64 => $"tty{minor}",
            4 => $"ttyS{minor - 64}",
            5 when minor == 0 => "tty",
            5 when minor == 1 => "console",
            _ => $"{major},{minor}",
        };
    }

    /// <summary>ps's TIME: [DD-]HH:MM:SS.</summary>
    public static string FormatCpuTime(TimeSpan time)
    {
        var days = (int)time.TotalDays;
        var clock = $"{time.Hours:00}:{time.Minutes:00}:{time.Seconds:00}";
        return days > 0 ? $"{days}-{clock}" : clock;
    }

    /// <summary>ps's STIME: "HH:mm" when started today, "MMMdd" earlier this year, else the year; local time.</summary>
    public static string FormatStartTime(DateTimeOffset start, DateTimeOffset now, TimeZoneInfo zone)
    {
        var s = TimeZoneInfo.ConvertTime(start, zone);
        var n = TimeZoneInfo.ConvertTime(now, zone);
        if (s.Date == n.Date) return s.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (s.Year == n.Year) return s.ToString("MMMdd", CultureInfo.InvariantCulture);
        return s.ToString("yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>ps's C: CPU time over lifetime in whole percent, at most 99 (procps pr_c).</summary>
    public static int LifetimeCpuPercent(long cpuTicks, double secondsRunning)
    {
        if (secondsRunning <= 0) return 0;
        var percent = (long)(cpuTicks * 100.0 / ClockTicks / secondsRunning);
        return (int)Math.Clamp(percent, 0, 99);
    }

    /// <summary>uid → name from an /etc/passwd; the first entry of a uid wins, as getpwuid does.</summary>
    public static Dictionary<uint, string> ParsePasswd(string text)
    {
        var users = new Dictionary<uint, string>();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(':');
            if (f.Length < 3 || f[0].Length == 0 || line.StartsWith('#')) continue;
            if (uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) users.TryAdd(uid, f[0]);
        }
        return users;
    }

    /// <summary>Received and sent bytes over every interface of a /proc/&lt;pid&gt;/net/dev except lo (moby's stats).</summary>
    public static (long Rx, long Tx) NetworkBytes(string netDev)
    {
        long rx = 0, tx = 0;
        foreach (var line in netDev.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue; // the two header lines have '|' but no ':'
            var name = line[..colon].Trim();
            if (name == "lo") continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9) continue;
            rx += Long(f[0]);
            tx += Long(f[8]);
        }
        return (rx, tx);
    }

    /// <summary>
    /// The host's CPU time from the "cpu" line of /proc/stat in nanoseconds (user through steal,
    /// as moby's getSystemCPUUsage), and the number of "cpuN" lines (online CPUs).
    /// </summary>
    public static (long SystemNanoseconds, int OnlineCpus) SystemCpu(string procStat)
    {
        long total = 0;
        var cpus = 0;
        var found = false;
        foreach (var line in procStat.Split('\n'))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 1; i < Math.Min(f.Length, 9); i++) total += Long(f[i]); // user nice system idle iowait irq softirq steal
                found = true;
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }
        if (!found) throw new FormatException("/proc/stat has no \"cpu\" line");
        return (total * (1_000_000_000L / ClockTicks), Math.Max(cpus, 1));
    }

    /// <summary>btime of /proc/stat: the boot time in seconds since the epoch.</summary>
    public static long BootTime(string procStat)
    {
        foreach (var line in procStat.Split('\n'))
            if (line.StartsWith("btime ", StringComparison.Ordinal)) return Long(line[6..].Trim());
        throw new FormatException("/proc/stat has no btime line");
    }

    /// <summary>MemTotal of /proc/meminfo in bytes.</summary>
    public static long MemTotal(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var f = line[9..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return Long(f[0]) * (f.Length > 1 && f[1] == "kB" ? 1024 : 1);
        }
        throw new FormatException("/proc/meminfo has no MemTotal line");
    }

    /// <summary>Reads a /proc file; null when the process (or file) is gone.</summary>
    public static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    public static byte[]? TryReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    private static long Long(string s) => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
