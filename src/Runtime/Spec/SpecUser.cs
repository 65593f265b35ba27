using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>The numeric identity the process runs as ("process.user"; names are resolved before the spec is written).</summary>
public sealed class SpecUser
{
    [JsonPropertyName("uid")] public uint Uid { get; set; }
    [JsonPropertyName("gid")] public uint Gid { get; set; }
    [JsonPropertyName("umask")] public uint? Umask { get; set; }
    [JsonPropertyName("additionalGids")] public List<uint>? AdditionalGids { get; set; }
}
