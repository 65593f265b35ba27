using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Images;

/// <summary>
/// The image configuration blob (OCI config.md / Docker image JSON). Loaded configs are
/// kept as their original bytes in the store (their digest is the image ID); this model is
/// for reading them and for writing new ones (import, commit, build).
/// </summary>
public sealed class ImageConfigFile
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = Platform.GoArchitecture;
    [JsonPropertyName("variant")] public string? Variant { get; set; }
    [JsonPropertyName("os")] public string Os { get; set; } = "linux";
    [JsonPropertyName("config")] public ContainerConfig? Config { get; set; }
    [JsonPropertyName("rootfs")] public RootFs RootFs { get; set; } = new();
    [JsonPropertyName("history")] public List<HistoryEntry>? History { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
}
