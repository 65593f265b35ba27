using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// Source-generated System.Text.Json metadata for <see cref="RuntimeSpec"/>: no reflection, so the
/// NativeAOT shim can read the bundle. Use <see cref="SpecJson"/> rather than this directly; it
/// adds the encoder settings.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(RuntimeSpec))]
public sealed partial class SpecJsonContext : JsonSerializerContext
{
}
