using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>A user-namespace ID range: <see cref="Size"/> IDs from <see cref="ContainerId"/> map to <see cref="HostId"/>.</summary>
public sealed class LinuxIdMapping
{
    [JsonPropertyName("containerID")] public uint ContainerId { get; set; }
    [JsonPropertyName("hostID")] public uint HostId { get; set; }
    [JsonPropertyName("size")] public uint Size { get; set; }
}
