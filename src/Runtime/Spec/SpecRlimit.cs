using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>One POSIX resource limit ("process.rlimits[]"); <see cref="ulong.MaxValue"/> is RLIM_INFINITY.</summary>
public sealed class SpecRlimit
{
    public const string NoFile = "RLIMIT_NOFILE";
    public const string NProc = "RLIMIT_NPROC";

    /// <summary>"RLIMIT_NOFILE", "RLIMIT_NPROC", ...</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("hard")] public ulong Hard { get; set; }
    [JsonPropertyName("soft")] public ulong Soft { get; set; }
}
