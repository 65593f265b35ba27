using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// A device cgroup rule ("linux.resources.devices[]"). Null <see cref="Major"/>/<see cref="Minor"/>
/// mean any; a null <see cref="Type"/> means all ("a").
/// </summary>
public sealed class LinuxDeviceCgroup
{
    [JsonPropertyName("allow")] public bool Allow { get; set; }

    /// <summary>"a", "b" or "c".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("major")] public long? Major { get; set; }
    [JsonPropertyName("minor")] public long? Minor { get; set; }

    /// <summary>Any of "r", "w", "m".</summary>
    [JsonPropertyName("access")] public string? Access { get; set; }
}
