using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// The one line a monitor writes to the engine on its stdout when the container has
/// started (its entrypoint exec'ed) or failed to; then the monitor detaches.
/// </summary>
public sealed class MonitorReady
{
    [JsonPropertyName("ok")] public bool Ok { get; set; }
    [JsonPropertyName("pid")] public int Pid { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    /// <summary>For a failed start: the exit code Docker reports (126 not executable, 127 not found).</summary>
    [JsonPropertyName("exitCode")] public int ExitCode { get; set; }
}
