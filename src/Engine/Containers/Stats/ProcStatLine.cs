namespace ContainerPS.Engine.Containers.Stats;

/// <summary>The fields of /proc/&lt;pid&gt;/stat that docker top and stats need (proc(5)); times in clock ticks.</summary>
internal readonly record struct ProcStatLine(
    int Pid, string Comm, char State, int ParentPid, int TtyNr, long UserTicks, long SystemTicks, long StartTicks);
