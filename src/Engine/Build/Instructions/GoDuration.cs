using System.Globalization;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// Go's time.ParseDuration ("30s", "1m30s", "1.5h", "250ms", "10us"), which Docker uses for
/// HEALTHCHECK intervals, and its String form for history text.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    {
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    };

    /// <exception cref="FormatException">"time: invalid duration \"x\"" in Go's words.</exception>
    public static TimeSpan Parse(string s)
    {
        var orig = s;
        FormatException Invalid(string why = "invalid duration") => new($"time: {why} \"{orig}\"");
        if (s.Length == 0) throw Invalid();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return TimeSpan.Zero;
        if (s.Length == 0) throw Invalid();
        double ticks = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0 || s[..i] == ".") throw Invalid();
            if (!double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) throw Invalid();
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.') j++;
            if (j == 0) throw Invalid("missing unit in duration");
            var unit = s[..j];
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null) throw Invalid($"unknown unit \"{unit}\" in duration");
            ticks += number * match.Ticks;
            s = s[j..];
        }
        var result = TimeSpan.FromTicks((long)Math.Round(ticks));
        return negative ? -result : result;
    }

    /// <summary>Nanoseconds, the unit Docker's image config stores durations in.</summary>
    public static long ToNanoseconds(TimeSpan t) => t.Ticks * 100;
}
