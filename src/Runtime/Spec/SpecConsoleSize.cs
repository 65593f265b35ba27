using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>Initial console size in characters ("process.consoleSize").</summary>
public sealed class SpecConsoleSize
{
    [JsonPropertyName("height")] public uint Height { get; set; }
    [JsonPropertyName("width")] public uint Width { get; set; }
}
