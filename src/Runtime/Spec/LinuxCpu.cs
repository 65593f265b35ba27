using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>CPU cgroup limits; quota and period are in microseconds, cpus/mems are cpuset lists ("0-3,5").</summary>
public sealed class LinuxCpu
{
    [JsonPropertyName("shares")] public ulong? Shares { get; set; }
    [JsonPropertyName("quota")] public long? Quota { get; set; }
    [JsonPropertyName("burst")] public ulong? Burst { get; set; }
    [JsonPropertyName("period")] public ulong? Period { get; set; }
    [JsonPropertyName("realtimeRuntime")] public long? RealtimeRuntime { get; set; }
    [JsonPropertyName("realtimePeriod")] public ulong? RealtimePeriod { get; set; }
    [JsonPropertyName("cpus")] public string? Cpus { get; set; }
    [JsonPropertyName("mems")] public string? Mems { get; set; }
    [JsonPropertyName("idle")] public long? Idle { get; set; }
}
