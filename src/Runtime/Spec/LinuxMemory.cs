using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>Memory cgroup limits in bytes; <see cref="Swap"/> is memory plus swap, -1 unlimited.</summary>
public sealed class LinuxMemory
{
    [JsonPropertyName("limit")] public long? Limit { get; set; }
    [JsonPropertyName("reservation")] public long? Reservation { get; set; }
    [JsonPropertyName("swap")] public long? Swap { get; set; }

    /// <summary>Deprecated by the spec (ignored on cgroup v2 and by kernels ≥ 5.4).</summary>
    [JsonPropertyName("kernel")] public long? Kernel { get; set; }
    [JsonPropertyName("kernelTCP")] public long? KernelTcp { get; set; }
    [JsonPropertyName("swappiness")] public ulong? Swappiness { get; set; }
    [JsonPropertyName("disableOOMKiller")] public bool? DisableOomKiller { get; set; }
    [JsonPropertyName("useHierarchy")] public bool? UseHierarchy { get; set; }
    [JsonPropertyName("checkBeforeUpdate")] public bool? CheckBeforeUpdate { get; set; }
}
