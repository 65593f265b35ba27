using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>The root filesystem ("root"): a path absolute or relative to the bundle.</summary>
public sealed class SpecRoot
{
    [JsonPropertyName("path")] public string Path { get; set; } = "rootfs";

    [JsonPropertyName("readonly")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Readonly { get; set; }
}
