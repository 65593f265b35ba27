using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>Linux-specific configuration ("linux"; runtime-spec config-linux.md).</summary>
public sealed class SpecLinux
{
    [JsonPropertyName("uidMappings")] public List<LinuxIdMapping>? UidMappings { get; set; }
    [JsonPropertyName("gidMappings")] public List<LinuxIdMapping>? GidMappings { get; set; }
    [JsonPropertyName("sysctl")] public Dictionary<string, string>? Sysctl { get; set; }
    [JsonPropertyName("resources")] public LinuxResources? Resources { get; set; }

    /// <summary>
    /// Where the container's cgroups are. An absolute path is taken relative to each cgroup
    /// hierarchy's root by runc and crun with the cgroupfs driver ("/containerps/&lt;id&gt;").
    /// </summary>
    [JsonPropertyName("cgroupsPath")] public string? CgroupsPath { get; set; }
    [JsonPropertyName("namespaces")] public List<LinuxNamespace>? Namespaces { get; set; }

    /// <summary>Device nodes to create beyond the defaults every runtime supplies (<see cref="SpecDefaults.Devices"/>).</summary>
    [JsonPropertyName("devices")] public List<LinuxDevice>? Devices { get; set; }

    /// <summary>The seccomp profile, kept as JSON: the engine passes profiles through, the shim compiles them.</summary>
    [JsonPropertyName("seccomp")] public JsonElement? Seccomp { get; set; }
    [JsonPropertyName("rootfsPropagation")] public string? RootfsPropagation { get; set; }
    [JsonPropertyName("maskedPaths")] public List<string>? MaskedPaths { get; set; }
    [JsonPropertyName("readonlyPaths")] public List<string>? ReadonlyPaths { get; set; }
    [JsonPropertyName("mountLabel")] public string? MountLabel { get; set; }

    /// <summary>Members not named here (intelRdt, personality, timeOffsets, ...), kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
