using System.Globalization;
using System.Management.Automation;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Gets what containers wrote to stdout and stderr (docker logs): LogLine objects (shown as
/// their text), or with -Timestamps strings prefixed with the RFC 3339 time. -Follow keeps
/// writing new lines as they come until the container stops.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LogLine), typeof(string))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    /// <summary>Keeps writing new lines as the container writes them, until it stops (docker logs -f).</summary>
    [Parameter]
    [Alias("f", "Wait")]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only the last N lines (before following).</summary>
    [Parameter]
    [Alias("n")]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time: a date, a duration ("10m": ten minutes ago), RFC 3339 or Unix seconds.</summary>
    [Parameter]
    [TimeTransformation]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only lines written at or before this time (same forms as -Since).</summary>
    [Parameter]
    [TimeTransformation]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Writes strings prefixed with each line's time, as docker logs -t does.</summary>
    [Parameter]
    [Alias("t")]
    public SwitchParameter Timestamps { get; set; }

    protected override void ProcessRecord()
    {
        var options = new LogReadOptions { Follow = Follow, Tail = Tail, Since = Since, Until = Until };
        foreach (var (container, target) in Targets())
        {
            TryStream($"Reading the log of {container.Name}", async context =>
            {
                // Each line is written as it is read: a followed log streams.
                await foreach (var line in Containers.ReadLogsAsync(container.Id, options, context.CancellationToken).ConfigureAwait(false))
                    context.WriteObject(Timestamps ? FormatTimestamp(line.Time) + " " + line.Text : line);
                return true;
            }, target, out _);
        }
    }

    /// <summary>RFC 3339 with nanoseconds in UTC, as docker logs -t prints it: 2024-05-01T12:00:00.123456700Z.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}
