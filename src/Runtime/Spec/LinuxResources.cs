using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>cgroup limits ("linux.resources").</summary>
public sealed class LinuxResources
{
    /// <summary>Device cgroup rules, evaluated in order (the last match wins).</summary>
    [JsonPropertyName("devices")] public List<LinuxDeviceCgroup>? Devices { get; set; }
    [JsonPropertyName("memory")] public LinuxMemory? Memory { get; set; }
    [JsonPropertyName("cpu")] public LinuxCpu? Cpu { get; set; }
    [JsonPropertyName("pids")] public LinuxPids? Pids { get; set; }
    [JsonPropertyName("blockIO")] public LinuxBlockIO? BlockIO { get; set; }
    [JsonPropertyName("hugepageLimits")] public List<LinuxHugepageLimit>? HugepageLimits { get; set; }

    /// <summary>cgroup v2 files to write verbatim ("memory.high" → "1G").</summary>
    [JsonPropertyName("unified")] public Dictionary<string, string>? Unified { get; set; }

    /// <summary>Members not named here (network, rdma), kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
