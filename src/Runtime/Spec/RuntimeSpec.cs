using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>
/// An OCI runtime-spec bundle configuration (<c>config.json</c>; runtime-spec config.md, v1.0.2 as
/// runc 1.1 and crun 1.8 accept it). Property names are the spec's JSON names exactly; optional
/// members are null (omitted from the JSON) when unset, like Go's <c>omitempty</c>. Fields this
/// model does not name (domainname is named; solaris, windows, vm, ...) survive a load/save round
/// trip through <see cref="Extra"/>.
/// </summary>
public sealed class RuntimeSpec
{
    /// <summary>Required: a document without it is refused, as the spec demands.</summary>
    [JsonPropertyName("ociVersion"), JsonRequired] public string OciVersion { get; set; } = SpecDefaults.OciVersion;
    [JsonPropertyName("process")] public SpecProcess? Process { get; set; }
    [JsonPropertyName("root")] public SpecRoot? Root { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("domainname")] public string? Domainname { get; set; }
    [JsonPropertyName("mounts")] public List<SpecMount>? Mounts { get; set; }
    [JsonPropertyName("hooks")] public SpecHooks? Hooks { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("linux")] public SpecLinux? Linux { get; set; }

    /// <summary>Members of the document this model does not name, kept so a round trip loses nothing.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
