using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>blkio (v1) / io (v2) cgroup settings.</summary>
public sealed class LinuxBlockIO
{
    [JsonPropertyName("weight")] public ushort? Weight { get; set; }
    [JsonPropertyName("leafWeight")] public ushort? LeafWeight { get; set; }
    [JsonPropertyName("weightDevice")] public List<LinuxWeightDevice>? WeightDevice { get; set; }
    [JsonPropertyName("throttleReadBpsDevice")] public List<LinuxThrottleDevice>? ThrottleReadBpsDevice { get; set; }
    [JsonPropertyName("throttleWriteBpsDevice")] public List<LinuxThrottleDevice>? ThrottleWriteBpsDevice { get; set; }
    [JsonPropertyName("throttleReadIOPSDevice")] public List<LinuxThrottleDevice>? ThrottleReadIopsDevice { get; set; }
    [JsonPropertyName("throttleWriteIOPSDevice")] public List<LinuxThrottleDevice>? ThrottleWriteIopsDevice { get; set; }
}
