using ContainerPS.Engine.Containers.Stats;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Cgroups;

// A partial of ContainerManager: its namespace, not the folder's.
namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker top: the processes in the container's cgroup, by host PID, with ps -ef's columns.
    /// User names come from the container's /etc/passwd (read through its PID 1's root), else
    /// the number. Processes that exit while they are read are left out.
    /// </summary>
    /// <exception cref="NotFoundException">No such container.</exception>
    /// <exception cref="ConflictException">The container is not running (ContainerNotRunning).</exception>
    public IReadOnlyList<ContainerProcess> Top(string nameOrId)
    {
        var record = Resolve(nameOrId);
        var container = ToContainer(record);
        if (!container.Running || container.Pid <= 0)
            throw new ConflictException("ContainerNotRunning", $"container {record.Id} is not running", record.Name, ErrorKind.FailedPrecondition);

        var pids = CgroupProcesses(record.Id);
        if (pids.Count == 0) pids = new[] { container.Pid }; // no cgroup (another runtime): at least PID 1
        var users = ProcFiles.TryRead($"/proc/{container.Pid}/root/etc/passwd") is { } passwd
            ? ProcFiles.ParsePasswd(passwd)
            : new Dictionary<uint, string>();
        var procStat = File.ReadAllText("/proc/stat");
        var boot = DateTimeOffset.FromUnixTimeSeconds(ProcFiles.BootTime(procStat));
        var now = DateTimeOffset.UtcNow;
        var zone = TimeZoneInfo.Local;

        var result = new List<ContainerProcess>();
        foreach (var pid in pids.OrderBy(p => p))
        {
            if (ReadProcess(pid, record, users, boot, now, zone) is { } process) result.Add(process);
        }
        return result;
    }

    private static IReadOnlyList<int> CgroupProcesses(string id)
    {
        try { return CgroupManagerFactory.For(id).Processes(); }
        catch (Exception ex) when (ex is CgroupException or IOException) { return Array.Empty<int>(); }
    }

    private static ContainerProcess? ReadProcess(int pid, ContainerRecord record, IReadOnlyDictionary<uint, string> users, DateTimeOffset boot, DateTimeOffset now, TimeZoneInfo zone)
    {
        var statText = ProcFiles.TryRead($"/proc/{pid}/stat");
        var status = ProcFiles.TryRead($"/proc/{pid}/status");
        var cmdline = ProcFiles.TryReadBytes($"/proc/{pid}/cmdline");
        if (statText is null || status is null || cmdline is null) return null; // exited meanwhile
        ProcStatLine stat;
        try { stat = ProcFiles.ParseStat(statText); }
        catch (FormatException) { return null; }

        var uid = ProcFiles.EffectiveUid(status) ?? 0;
        var start = boot + TimeSpan.FromSeconds((double)stat.StartTicks / ProcFiles.ClockTicks);
        var cpuTicks = stat.UserTicks + stat.SystemTicks;
        var cpuTime = TimeSpan.FromSeconds((double)cpuTicks / ProcFiles.ClockTicks);
        return new ContainerProcess
        {
            ContainerId = record.Id,
            ContainerName = record.Name,
            Pid = pid,
            ParentPid = stat.ParentPid,
            Uid = uid,
            User = users.TryGetValue(uid, out var name) ? name : uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Cpu = ProcFiles.LifetimeCpuPercent(cpuTicks, (now - start).TotalSeconds),
            StartTime = start,
            STime = ProcFiles.FormatStartTime(start, now, zone),
            Tty = ProcFiles.TtyName(stat.TtyNr),
            CpuTime = cpuTime,
            Time = ProcFiles.FormatCpuTime(cpuTime),
            Command = ProcFiles.Command(cmdline, stat.Comm),
            Name = stat.Comm,
            State = stat.State,
        };
    }
}
