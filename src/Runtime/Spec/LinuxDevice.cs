using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>A device node to create in the container ("linux.devices[]"); <see cref="FileMode"/> holds permission bits.</summary>
public sealed class LinuxDevice
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";

    /// <summary>"c", "b", "u" or "p".</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "c";
    [JsonPropertyName("major")] public long Major { get; set; }
    [JsonPropertyName("minor")] public long Minor { get; set; }
    [JsonPropertyName("fileMode")] public uint? FileMode { get; set; }
    [JsonPropertyName("uid")] public uint? Uid { get; set; }
    [JsonPropertyName("gid")] public uint? Gid { get; set; }
}
