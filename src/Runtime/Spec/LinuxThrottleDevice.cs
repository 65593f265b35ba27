using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>A per-device I/O rate limit (bytes or operations per second).</summary>
public sealed class LinuxThrottleDevice
{
    [JsonPropertyName("major")] public long Major { get; set; }
    [JsonPropertyName("minor")] public long Minor { get; set; }
    [JsonPropertyName("rate")] public ulong Rate { get; set; }
}
