using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>pids cgroup limit; -1 (or ≤ 0) means no limit.</summary>
public sealed class LinuxPids
{
    [JsonPropertyName("limit")] public long Limit { get; set; }
}
