using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>The JSON line a monitor answers a request with.</summary>
public sealed class MonitorResponse
{
    [JsonPropertyName("ok")] public bool Ok { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("exitCode")] public int? ExitCode { get; set; }
    [JsonPropertyName("state")] public ContainerStateFile? State { get; set; }
}
