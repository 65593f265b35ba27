namespace ContainerPS.Engine.Containers.Stats;

/// <summary>
/// One process of a running container as docker top shows it (ps -ef columns: UID PID PPID C
/// STIME TTY TIME CMD). PIDs are host PIDs, as docker top reports them; the user name comes
/// from the container's own /etc/passwd.
/// </summary>
public sealed record ContainerProcess
{
    /// <summary>The container's full ID.</summary>
    public required string ContainerId { get; init; }

    /// <summary>The container's name.</summary>
    public required string ContainerName { get; init; }

    /// <summary>Host PID.</summary>
    public int Pid { get; init; }

    /// <summary>Host PID of the parent (the container's monitor for its PID 1).</summary>
    public int ParentPid { get; init; }

    /// <summary>Effective user ID.</summary>
    public uint Uid { get; init; }

    /// <summary>The user's name in the container's /etc/passwd, else the number (ps -ef's UID column).</summary>
    public required string User { get; init; }

    /// <summary>ps's C: CPU use over the process's lifetime, in whole percent (0-99).</summary>
    public int Cpu { get; init; }

    public DateTimeOffset StartTime { get; init; }

    /// <summary>ps's STIME: "HH:mm" when started today, "MMMdd" this year, else the year (local time).</summary>
    public required string STime { get; init; }

    /// <summary>Controlling terminal ("pts/0"), or "?".</summary>
    public required string Tty { get; init; }

    /// <summary>User plus system CPU time used.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>ps's TIME: [DD-]HH:MM:SS of <see cref="CpuTime"/>.</summary>
    public required string Time { get; init; }

    /// <summary>The command line, arguments joined by spaces; "[comm]" when it has none (a zombie).</summary>
    public required string Command { get; init; }

    /// <summary>The command's name (/proc/&lt;pid&gt;/comm, at most 15 characters).</summary>
    public required string Name { get; init; }

    /// <summary>Process state letter (R, S, D, Z, T...).</summary>
    public char State { get; init; }

    public override string ToString() => $"{Pid} {Command}";
}
