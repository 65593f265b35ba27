using System.Text.Json.Serialization;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Images;

/// <summary>The rootfs section of an image config: the layers' uncompressed digests.</summary>
public sealed class RootFs
{
    [JsonPropertyName("type")] public string Type { get; set; } = "layers";
    [JsonPropertyName("diff_ids")] public List<Digest> DiffIds { get; set; } = new();
}
