using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>The container process (runtime-spec config.md "process").</summary>
public sealed class SpecProcess
{
    [JsonPropertyName("terminal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Terminal { get; set; }

    [JsonPropertyName("consoleSize")] public SpecConsoleSize? ConsoleSize { get; set; }
    [JsonPropertyName("user")] public SpecUser User { get; set; } = new();
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    [JsonPropertyName("env")] public List<string>? Env { get; set; }
    [JsonPropertyName("cwd")] public string Cwd { get; set; } = "/";
    [JsonPropertyName("capabilities")] public SpecCapabilities? Capabilities { get; set; }
    [JsonPropertyName("rlimits")] public List<SpecRlimit>? Rlimits { get; set; }

    [JsonPropertyName("noNewPrivileges")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NoNewPrivileges { get; set; }

    [JsonPropertyName("apparmorProfile")] public string? ApparmorProfile { get; set; }
    [JsonPropertyName("oomScoreAdj")] public int? OomScoreAdj { get; set; }
    [JsonPropertyName("selinuxLabel")] public string? SelinuxLabel { get; set; }

    /// <summary>Members not named here (scheduler, ioPriority, ...), kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
