using System.Globalization;

namespace ContainerPS.Module.Formatting;

/// <summary>
/// The docker CLI's human-readable forms, for the format views
/// (<c>[ContainerPS.Module.Formatting.DisplayFormat]::Size($_.Size)</c>). Format script blocks
/// may run where only the core cmdlets exist, so the views call these instead of cmdlets.
/// </summary>
public static class DisplayFormat
{
    private static readonly string[] DecimalUnits = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };

    /// <summary>
    /// Decimal size with three significant digits, as docker images prints it
    /// (go-units HumanSizeWithPrecision(size, 3)): 4.26MB, 77.9MB, 512B, 0B.
    /// </summary>
    public static string Size(long bytes) => Size((double)bytes);

    /// <inheritdoc cref="Size(long)"/>
    public static string Size(double bytes)
    {
        if (double.IsNaN(bytes) || bytes < 0) return "N/A";
        var unit = 0;
        var value = bytes;
        while (value >= 1000 && unit < DecimalUnits.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        var rounded = RoundSignificant(value, 3);
        if (rounded >= 1000 && unit < DecimalUnits.Length - 1)
        {
            // 999.7kB rounds to 1000kB: show 1MB instead, as a person would write it.
            rounded = RoundSignificant(rounded / 1000, 3);
            unit++;
        }

        return rounded.ToString("0.##", CultureInfo.InvariantCulture) + DecimalUnits[unit];
    }

    /// <summary>"2 minutes ago", "About an hour ago", "3 weeks ago"; "N/A" for no time.</summary>
    public static string Ago(DateTimeOffset? time) => Ago(time, DateTimeOffset.UtcNow);

    /// <inheritdoc cref="Ago(DateTimeOffset?)"/>
    public static string Ago(DateTimeOffset? time, DateTimeOffset now) =>
        time is null || time.Value == default ? "N/A" : Duration(now - time.Value) + " ago";

    /// <summary>
    /// go-units HumanDuration, the wording of docker's CREATED and STATUS columns:
    /// "Less than a second", "5 seconds", "About a minute", "2 hours", "3 days", "2 weeks",
    /// "4 months", "2 years".
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) duration = TimeSpan.Zero;
        var seconds = (long)duration.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";

        var minutes = (long)duration.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";

        var hours = (long)Math.Round(duration.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)(duration.TotalHours / 24 / 365)} years";
    }

    /// <summary>Docker's short ID: the first 12 hex digits of a sha256 digest.</summary>
    public static string ShortId(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "";
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;
        return hex.Length > 12 ? hex[..12] : hex;
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="width"/> characters with an ellipsis, as docker's --no-trunc=false.</summary>
    public static string Truncate(string? text, int width)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= width || width < 2 ? single : single[..(width - 1)] + "…";
    }

    /// <summary>
    /// An instruction's flags and arguments as one line: JSON-form commands are shown as JSON
    /// arrays, as written. Here rather than in the view, since format scripts may run where only
    /// the core cmdlets exist.
    /// </summary>
    public static string InstructionArguments(string[]? flags, string[]? arguments, bool jsonForm, int width)
    {
        var args = arguments ?? Array.Empty<string>();
        var shown = jsonForm ? new[] { "[" + string.Join(", ", args.Select(a => "\"" + a + "\"")) + "]" } : args;
        return Truncate(string.Join(' ', (flags ?? Array.Empty<string>()).Concat(shown)), width);
    }

    private static double RoundSignificant(double value, int digits)
    {
        if (value == 0) return 0;
        var scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value * scale, MidpointRounding.AwayFromZero) / scale;
    }
}
