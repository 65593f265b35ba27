using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>One line of Docker's json-file log driver: {"log":"text\n","stream":"stdout","time":"…"}.</summary>
public sealed class LogEntry
{
    [JsonPropertyName("log")] public string Log { get; set; } = "";
    [JsonPropertyName("stream")] public string Stream { get; set; } = "stdout";
    [JsonPropertyName("time")] public DateTimeOffset Time { get; set; }
}
