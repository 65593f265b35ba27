using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Images;

/// <summary>On-disk shape of images/index.json.</summary>
public sealed class ImageIndexFile
{
    [JsonPropertyName("version")] public int Version { get; set; } = 1;
    [JsonPropertyName("images")] public List<ImageRecord> Images { get; set; } = new();
}
