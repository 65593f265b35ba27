using System.Text.Json.Serialization;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Layers;

/// <summary>An unpacked layer (layers/&lt;chain-hex&gt;/layer.json).</summary>
public sealed class LayerInfo
{
    [JsonPropertyName("chainId")] public Digest ChainId { get; set; }
    [JsonPropertyName("diffId")] public Digest DiffId { get; set; }
    [JsonPropertyName("parent")] public Digest? Parent { get; set; }
    /// <summary>Bytes of file content in the layer (what `docker images` sums as SIZE).</summary>
    [JsonPropertyName("size")] public long Size { get; set; }
    /// <summary>Short name under layers/l/ used in overlay lowerdir options.</summary>
    [JsonPropertyName("link")] public string Link { get; set; } = "";
    [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }
}
