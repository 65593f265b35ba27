using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Images;

/// <summary>An OCI image index or a Docker manifest list (multi-platform images, OCI layouts).</summary>
public sealed class ManifestIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("manifests")] public List<Descriptor> Manifests { get; set; } = new();
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
