using System.Text.Json.Serialization;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>
/// One image as the store knows it: the manifest it was stored with, its config (the image
/// ID) and the names pointing at it. An image with no names is "dangling" (&lt;none&gt;).
/// </summary>
public sealed class ImageRecord
{
    [JsonPropertyName("manifest")] public Digest Manifest { get; set; }
    [JsonPropertyName("manifestMediaType")] public string ManifestMediaType { get; set; } = MediaTypes.OciManifest;
    [JsonPropertyName("config")] public Digest Config { get; set; }
    /// <summary>Fully-qualified tagged names, e.g. docker.io/library/busybox:latest.</summary>
    [JsonPropertyName("names")] public List<string> Names { get; set; } = new();
    /// <summary>Fully-qualified digested names (repo@sha256:...), known for pulled images.</summary>
    [JsonPropertyName("digests")] public List<string> Digests { get; set; } = new();
    [JsonPropertyName("added")] public DateTimeOffset Added { get; set; }
}
