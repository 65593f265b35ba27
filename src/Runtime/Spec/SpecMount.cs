using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>One mount on top of the root ("mounts[]"); options are fstab style ("nosuid", "mode=755", "rbind", ...).</summary>
public sealed class SpecMount
{
    [JsonPropertyName("destination")] public string Destination { get; set; } = "";
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("options")] public List<string>? Options { get; set; }
    [JsonPropertyName("uidMappings")] public List<LinuxIdMapping>? UidMappings { get; set; }
    [JsonPropertyName("gidMappings")] public List<LinuxIdMapping>? GidMappings { get; set; }
}
