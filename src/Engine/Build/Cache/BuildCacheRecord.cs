using System.Text.Json.Serialization;
using ContainerPS.Engine.Images;

namespace ContainerPS.Engine.Build.Cache;

/// <summary>
/// buildcache/&lt;key-hex&gt;.json: the build state a step produced — the image config so far
/// (rootfs diff IDs, history, runtime config) and the layer blobs behind those diff IDs.
/// </summary>
public sealed class BuildCacheRecord
{
    [JsonPropertyName("config")] public ImageConfigFile Config { get; set; } = new();
    [JsonPropertyName("layers")] public List<Descriptor> Layers { get; set; } = new();
    /// <summary>The image the stage started from ("" for scratch), recorded on the build's containers.</summary>
    [JsonPropertyName("base")] public string BaseImageId { get; set; } = "";
}
