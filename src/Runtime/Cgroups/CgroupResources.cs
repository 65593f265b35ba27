namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// Resource limits in Docker's units. Null (or 0, Docker's "not set") leaves a setting untouched,
/// except for pids where 0 or -1 means unlimited (as <c>docker run --pids-limit</c>). Unlimited is -1
/// for memory, swap and quota.
/// </summary>
/// <param name="MemoryLimit">Bytes (--memory).</param>
/// <param name="MemorySwap">Memory plus swap in bytes (--memory-swap), as Docker: must be &gt;= MemoryLimit.</param>
/// <param name="CpuShares">Relative weight, 2..262144 (--cpu-shares); v2 converts it to cpu.weight.</param>
/// <param name="CpuQuota">Microseconds per period (--cpu-quota).</param>
/// <param name="CpuPeriod">Microseconds (--cpu-period).</param>
/// <param name="PidsLimit">Maximum number of tasks (--pids-limit).</param>
/// <param name="Devices">
/// Device access rules in order (<see cref="DeviceRule.Simplify"/>d by the caller), applied when
/// not null: v1's devices.deny/devices.allow; on v2 a BPF_CGROUP_DEVICE program (<see cref="DeviceFilterProgram"/>).
/// </param>
public sealed record CgroupResources(
    long? MemoryLimit = null,
    long? MemorySwap = null,
    long? CpuShares = null,
    long? CpuQuota = null,
    long? CpuPeriod = null,
    long? PidsLimit = null,
    IReadOnlyList<DeviceRule>? Devices = null);
