namespace ContainerPS.Engine.Containers.Stats;

/// <summary>
/// One resource-usage snapshot of a container, with docker stats' figures: CPU % over a short
/// sampling interval, memory without inactive page cache, network I/O of the container's
/// interfaces (loopback excluded), block I/O and process count. Zero for a container that is
/// not running, as docker stats -a shows.
/// </summary>
public sealed record ContainerStats
{
    public required string Id { get; init; }
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
    public required string Name { get; init; }

    /// <summary>When the second sample was taken.</summary>
    public DateTimeOffset Read { get; init; }

    public bool Running { get; init; }

    /// <summary>CPU use between the two samples, in percent of one CPU (up to 100 × <see cref="OnlineCpus"/>), as docker stats.</summary>
    public double CpuPercent { get; init; }

    /// <summary>Total CPU time the container has used (cgroup cpuacct).</summary>
    public long CpuUsageNanoseconds { get; init; }

    /// <summary>CPUs online on the host.</summary>
    public int OnlineCpus { get; init; }

    /// <summary>Memory in use, less the inactive page cache (docker stats' MEM USAGE).</summary>
    public long MemoryUsage { get; init; }

    /// <summary>The container's memory limit, or the host's memory when it has none (docker stats' LIMIT).</summary>
    public long MemoryLimit { get; init; }

    /// <summary>True when <see cref="MemoryLimit"/> is the container's own limit, not the host's memory.</summary>
    public bool MemoryLimited { get; init; }

    /// <summary><see cref="MemoryUsage"/> / <see cref="MemoryLimit"/> in percent.</summary>
    public double MemoryPercent { get; init; }

    /// <summary>Bytes received on the container's network interfaces (not lo).</summary>
    public long NetworkRxBytes { get; init; }

    /// <summary>Bytes sent on the container's network interfaces (not lo).</summary>
    public long NetworkTxBytes { get; init; }

    public long BlockReadBytes { get; init; }
    public long BlockWriteBytes { get; init; }

    /// <summary>Processes (tasks) in the container.</summary>
    public long Pids { get; init; }

    public override string ToString() => Name;
}
