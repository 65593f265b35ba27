using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>A namespace to create, or to join when <see cref="Path"/> is set ("/proc/123/ns/net", a bind-mounted ns file).</summary>
public sealed class LinuxNamespace
{
    public const string Pid = "pid";
    public const string Network = "network";
    public const string Mount = "mount";
    public const string Ipc = "ipc";
    public const string Uts = "uts";
    public const string User = "user";
    public const string Cgroup = "cgroup";
    public const string Time = "time";

    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("path")] public string? Path { get; set; }
}
