using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

/// <summary>docker ps's STATUS column: "Up 5 minutes", "Exited (137) 2 hours ago", "Created".</summary>
public static class StatusText
{
    public static string For(ContainerStateFile state, DateTimeOffset now) => state.Status switch
    {
        ContainerStatus.Running => "Up " + Duration(now - (state.StartedAt ?? now)),
        ContainerStatus.Paused => "Up " + Duration(now - (state.StartedAt ?? now)) + " (Paused)",
        ContainerStatus.Restarting => $"Restarting ({state.ExitCode}) {Duration(now - (state.FinishedAt ?? now))} ago",
        ContainerStatus.Exited when state.StartedAt is null && state.Error is null => "Created",
        ContainerStatus.Exited => $"Exited ({state.ExitCode}) {Duration(now - (state.FinishedAt ?? now))} ago",
        ContainerStatus.Removing => "Removal In Progress",
        ContainerStatus.Dead => "Dead",
        _ => "Created",
    };

    /// <summary>Docker's units.HumanDuration.</summary>
    public static string Duration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{hours / 24 / 365} years";
    }
}
