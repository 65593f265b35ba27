using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Shim.Monitor;

/// <summary>The built-in runtime's cgroup for a container, from the bundle's config.json (linux.resources).</summary>
public static class MonitorCgroups
{
    public static (ICgroupManager Cgroup, CgroupResources? Resources) For(MonitorConfig config)
    {
        var spec = SpecJson.Load(Path.Combine(config.Bundle, SpecJson.FileName));
        var r = spec.Linux?.Resources;
        CgroupResources? resources = r is null ? null : new CgroupResources(
            MemoryLimit: r.Memory?.Limit,
            MemorySwap: r.Memory?.Swap,
            CpuShares: r.Cpu?.Shares is { } shares ? (long)shares : null,
            CpuQuota: r.Cpu?.Quota,
            CpuPeriod: r.Cpu?.Period is { } period ? (long)period : null,
            PidsLimit: r.Pids?.Limit);
        return (CgroupManagerFactory.For(config.Id), resources);
    }
}
