using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Engine.Images;

/// <summary>
/// The execution parameters of an image ("config" in the image config JSON; OCI config.md
/// with Docker's extra fields such as Healthcheck, OnBuild and Shell).
/// </summary>
public sealed class ContainerConfig
{
    public string? User { get; set; }
    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }
    public List<string>? Env { get; set; }
    public List<string>? Entrypoint { get; set; }
    public List<string>? Cmd { get; set; }
    public Dictionary<string, EmptyObject>? Volumes { get; set; }
    public string? WorkingDir { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public string? StopSignal { get; set; }
    public bool? ArgsEscaped { get; set; }
    public JsonElement? Healthcheck { get; set; }
    public List<string>? OnBuild { get; set; }
    public List<string>? Shell { get; set; }

    public ContainerConfig Clone() =>
        JsonSerializer.Deserialize<ContainerConfig>(JsonSerializer.SerializeToUtf8Bytes(this, ImageJson.Options), ImageJson.Options)!;
}
