using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>One hook command; <see cref="Timeout"/> is in seconds.</summary>
public sealed class SpecHook
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    [JsonPropertyName("env")] public List<string>? Env { get; set; }
    [JsonPropertyName("timeout")] public int? Timeout { get; set; }
}
