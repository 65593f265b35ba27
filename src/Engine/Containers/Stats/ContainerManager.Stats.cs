using ContainerPS.Engine.Containers.Stats;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Cgroups;

// A partial of ContainerManager: its namespace, not the folder's.
namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// How far apart the two samples of a stats snapshot are. docker stats --no-stream compares
    /// two of the daemon's one-second frames; a shorter interval answers sooner with the same
    /// formula (CPU time used over host CPU time elapsed).
    /// </summary>
    public static TimeSpan DefaultStatsInterval { get; } = TimeSpan.FromMilliseconds(150);

    /// <summary>docker stats --no-stream for one container (two samples <see cref="DefaultStatsInterval"/> apart).</summary>
    /// <exception cref="NotFoundException">No such container.</exception>
    public ContainerStats GetStats(string nameOrId)
    {
        var record = Resolve(nameOrId);
        var first = Sample(record);
        if (first.Container.Running) Thread.Sleep(DefaultStatsInterval);
        return Compute(first, Sample(record));
    }

    /// <summary>docker stats --no-stream for one container, asynchronously.</summary>
    /// <exception cref="NotFoundException">No such container.</exception>
    public async Task<ContainerStats> GetStatsAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var all = await GetStatsAsync(new[] { nameOrId }, DefaultStatsInterval, cancellationToken).ConfigureAwait(false);
        return all[0];
    }

    /// <summary>
    /// docker stats --no-stream for several containers: every container is sampled, then once
    /// more after <paramref name="interval"/>, so the call takes one interval whatever the
    /// count. A container that is not running gets a zero snapshot, as docker stats -a shows.
    /// </summary>
    /// <exception cref="NotFoundException">One of the names matches no container (nothing is sampled).</exception>
    public async Task<IReadOnlyList<ContainerStats>> GetStatsAsync(IReadOnlyList<string> namesOrIds, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namesOrIds);
        var records = namesOrIds.Select(Resolve).ToList();
        var first = records.Select(Sample).ToList();
        if (first.Any(s => s.Container.Running) && interval > TimeSpan.Zero)
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        var result = new List<ContainerStats>(records.Count);
        for (var i = 0; i < records.Count; i++) result.Add(Compute(first[i], Sample(records[i])));
        return result;
    }

    private StatsSample Sample(ContainerRecord record)
    {
        var container = ToContainer(record);
        var (system, cpus) = ProcFiles.SystemCpu(File.ReadAllText("/proc/stat"));
        if (!container.Running || container.Pid <= 0)
            return new StatsSample(container, null, system, cpus, 0, 0, DateTimeOffset.UtcNow);

        CgroupStats? cgroup;
        try
        {
            var manager = CgroupManagerFactory.For(record.Id);
            cgroup = manager.Exists ? manager.GetStats() : null;
        }
        catch (Exception ex) when (ex is CgroupException or IOException)
        {
            cgroup = null; // exited meanwhile, or a runtime without our cgroup
        }
        var (rx, tx) = ProcFiles.TryRead($"/proc/{container.Pid}/net/dev") is { } netDev ? ProcFiles.NetworkBytes(netDev) : (0L, 0L);
        return new StatsSample(container, cgroup, system, cpus, rx, tx, DateTimeOffset.UtcNow);
    }

    /// <summary>docker stats' figures from two samples (moby's calculateCPUPercentUnix and calculateMemUsageUnixNoCache).</summary>
    private static ContainerStats Compute(StatsSample first, StatsSample second)
    {
        var c = second.Container;
        var cg = second.Cgroup;
        if (!c.Running || cg is null)
            return new ContainerStats { Id = c.Id, Name = c.Name, Read = second.Read, Running = c.Running, OnlineCpus = second.OnlineCpus, MemoryLimit = HostMemory() };

        double cpuPercent = 0;
        var cpuDelta = (cg.CpuUsageNanoseconds ?? 0) - (first.Cgroup?.CpuUsageNanoseconds ?? 0);
        var systemDelta = second.SystemNanoseconds - first.SystemNanoseconds;
        if (first.Cgroup is not null && cpuDelta > 0 && systemDelta > 0)
            cpuPercent = (double)cpuDelta / systemDelta * second.OnlineCpus * 100.0;

        var usage = cg.MemoryUsage ?? 0;
        if (cg.MemoryInactiveFile is { } inactive && inactive < usage) usage -= inactive;
        var limited = cg.MemoryLimit is not null;
        var limit = cg.MemoryLimit ?? HostMemory();
        return new ContainerStats
        {
            Id = c.Id,
            Name = c.Name,
            Read = second.Read,
            Running = true,
            CpuPercent = cpuPercent,
            CpuUsageNanoseconds = cg.CpuUsageNanoseconds ?? 0,
            OnlineCpus = second.OnlineCpus,
            MemoryUsage = usage,
            MemoryLimit = limit,
            MemoryLimited = limited,
            MemoryPercent = limit > 0 ? (double)usage / limit * 100.0 : 0,
            NetworkRxBytes = second.NetworkRx,
            NetworkTxBytes = second.NetworkTx,
            BlockReadBytes = cg.BlockReadBytes ?? 0,
            BlockWriteBytes = cg.BlockWriteBytes ?? 0,
            Pids = cg.PidsCurrent ?? 0,
        };
    }

    private static long HostMemory() =>
        ProcFiles.TryRead("/proc/meminfo") is { } meminfo ? ProcFiles.MemTotal(meminfo) : 0;
}
