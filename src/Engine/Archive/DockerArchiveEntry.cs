using System.Text.Json;

namespace ContainerPS.Engine.Archive;

/// <summary>One element of a docker-archive's manifest.json (Docker's image/tarexport format).</summary>
public sealed class DockerArchiveEntry
{
    public string Config { get; set; } = "";
    public List<string>? RepoTags { get; set; }
    public List<string> Layers { get; set; } = new();
    public Dictionary<string, JsonElement>? LayerSources { get; set; }
}
