using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Lets a point-in-time parameter (-Since, -Until) take what docker logs --since takes as well
/// as dates: a DateTime or DateTimeOffset, a TimeSpan or a duration string ("10m", "1h30m",
/// "45s", "500ms": that long ago), an RFC 3339 / ISO 8601 time, or Unix seconds.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class TimeTransformationAttribute : ArgumentTransformationAttribute
{
    [GeneratedRegex(@"^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<unit>h|ms|m|s|us|µs|ns)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        return input switch
        {
            null => null!,
            DateTimeOffset offset => offset,
            DateTime time => time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time.ToLocalTime()) : new DateTimeOffset(time),
            TimeSpan span => DateTimeOffset.UtcNow - span,
            int or long or double => DateTimeOffset.UnixEpoch.AddSeconds(Convert.ToDouble(input, CultureInfo.InvariantCulture)),
            string text => Parse(text, DateTimeOffset.UtcNow),
            _ => throw new ArgumentTransformationMetadataException($"Cannot convert '{input}' to a point in time."),
        };
    }

    /// <summary>"10m" (ten minutes before <paramref name="now"/>), an RFC 3339 time, or Unix seconds.</summary>
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (DurationPattern().IsMatch(trimmed))
        {
            var total = TimeSpan.Zero;
            foreach (Match part in DurationPart().Matches(trimmed))
            {
                var n = double.Parse(part.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                total += part.Groups["unit"].Value.ToLowerInvariant() switch
                {
                    "h" => TimeSpan.FromHours(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "ms" => TimeSpan.FromMilliseconds(n),
                    _ => TimeSpan.FromTicks((long)(n / 100)), // us, ns: below a tick, as good as nothing
                };
            }
            return now - total;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);

        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
            return time;

        throw new ArgumentTransformationMetadataException(
            $"'{text}' is not a point in time: use a date, a duration such as '10m' or '1h30m' (that long ago), an RFC 3339 time or Unix seconds.");
    }
}
