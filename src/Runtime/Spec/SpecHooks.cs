using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>Lifecycle hooks ("hooks"; runtime-spec config.md "POSIX-platform Hooks").</summary>
public sealed class SpecHooks
{
    /// <summary>Deprecated by the spec in favour of the three create/start hooks; still run by runc and crun.</summary>
    [JsonPropertyName("prestart")] public List<SpecHook>? Prestart { get; set; }
    [JsonPropertyName("createRuntime")] public List<SpecHook>? CreateRuntime { get; set; }
    [JsonPropertyName("createContainer")] public List<SpecHook>? CreateContainer { get; set; }
    [JsonPropertyName("startContainer")] public List<SpecHook>? StartContainer { get; set; }
    [JsonPropertyName("poststart")] public List<SpecHook>? Poststart { get; set; }
    [JsonPropertyName("poststop")] public List<SpecHook>? Poststop { get; set; }
}
