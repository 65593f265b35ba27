using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// containers/&lt;id&gt;/state.json: written by the monitor only (temp + rename), read by anyone.
/// When the monitor is gone while the state says running, the reader knows it crashed.
/// </summary>
public sealed class ContainerStateFile
{
    [JsonPropertyName("status")] public ContainerStatus Status { get; set; } = ContainerStatus.Created;
    /// <summary>Host PID of the container's PID 1 (0 when not running).</summary>
    [JsonPropertyName("pid")] public int Pid { get; set; }
    [JsonPropertyName("monitorPid")] public int MonitorPid { get; set; }
    [JsonPropertyName("exitCode")] public int ExitCode { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("oomKilled")] public bool OomKilled { get; set; }
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }
    [JsonPropertyName("finishedAt")] public DateTimeOffset? FinishedAt { get; set; }
    [JsonPropertyName("restartCount")] public int RestartCount { get; set; }
    /// <summary>Stopped by the user (Stop-Container): unless-stopped and always do not restart it.</summary>
    [JsonPropertyName("manualStop")] public bool ManualStop { get; set; }
    /// <summary>The monitor's unix socket (attach, kill, wait, resize, pause).</summary>
    [JsonPropertyName("socket")] public string? Socket { get; set; }
}
