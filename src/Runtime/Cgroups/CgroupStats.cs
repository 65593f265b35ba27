namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// A snapshot of a container cgroup's accounting, in the units `docker stats` uses. A value is
/// null when this machine's cgroups do not provide it (controller missing, older kernel).
/// </summary>
public sealed record CgroupStats
{
    /// <summary>Total CPU time: v1 cpuacct.usage; v2 cpu.stat usage_usec × 1000.</summary>
    public long? CpuUsageNanoseconds { get; init; }

    /// <summary>Charged memory including page cache: v1 memory.usage_in_bytes; v2 memory.current.</summary>
    public long? MemoryUsage { get; init; }

    /// <summary>Inactive file cache (memory.stat total_inactive_file / inactive_file): docker subtracts it for display.</summary>
    public long? MemoryInactiveFile { get; init; }

    /// <summary>The memory limit; null when unlimited or unknown.</summary>
    public long? MemoryLimit { get; init; }

    /// <summary>High-water mark: v1 memory.max_usage_in_bytes; v2 memory.peak (kernel 5.19+).</summary>
    public long? MemoryMaxUsage { get; init; }

    /// <summary>Tasks in the cgroup (pids.current).</summary>
    public long? PidsCurrent { get; init; }

    /// <summary>pids.max; null when unlimited or unknown.</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Bytes read from block devices: v1 blkio.throttle.io_service_bytes Read; v2 io.stat rbytes.</summary>
    public long? BlockReadBytes { get; init; }

    /// <summary>Bytes written to block devices: v1 ... Write; v2 io.stat wbytes.</summary>
    public long? BlockWriteBytes { get; init; }

    /// <summary>Processes killed by the OOM killer: oom_kill of memory.oom_control (v1) or memory.events (v2).</summary>
    public long? OomKills { get; init; }
}
