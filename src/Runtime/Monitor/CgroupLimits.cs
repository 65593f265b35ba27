using System.Text.Json.Serialization;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// The bundle's linux.resources as the monitor applies them, handed over in monitor.json by
/// the engine: the monitor then never parses config.json (the whole OCI spec model), which
/// kept ~1 ms of JSON work on the start path and its metadata in every monitor's heap.
/// </summary>
public sealed class CgroupLimits
{
    [JsonPropertyName("memoryLimit")] public long? MemoryLimit { get; set; }
    [JsonPropertyName("memorySwap")] public long? MemorySwap { get; set; }
    [JsonPropertyName("cpuShares")] public long? CpuShares { get; set; }
    [JsonPropertyName("cpuQuota")] public long? CpuQuota { get; set; }
    [JsonPropertyName("cpuPeriod")] public long? CpuPeriod { get; set; }
    [JsonPropertyName("pidsLimit")] public long? PidsLimit { get; set; }

    /// <summary>The limits of a spec's linux.resources; null when it has none.</summary>
    public static CgroupLimits? From(RuntimeSpec spec)
    {
        var r = spec.Linux?.Resources;
        if (r is null) return null;
        return new CgroupLimits
        {
            MemoryLimit = r.Memory?.Limit,
            MemorySwap = r.Memory?.Swap,
            CpuShares = r.Cpu?.Shares is { } shares ? (long)shares : null,
            CpuQuota = r.Cpu?.Quota,
            CpuPeriod = r.Cpu?.Period is { } period ? (long)period : null,
            PidsLimit = r.Pids?.Limit,
        };
    }

    public CgroupResources ToResources() => new(
        MemoryLimit: MemoryLimit,
        MemorySwap: MemorySwap,
        CpuShares: CpuShares,
        CpuQuota: CpuQuota,
        CpuPeriod: CpuPeriod,
        PidsLimit: PidsLimit);
}
