using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// One request on the monitor socket, sent as a JSON line. "attach" turns the connection
/// into a framed stream (see <see cref="Frame"/>); every other op gets one JSON line back.
/// Ops: attach (stdin, stdout, stderr; rows and cols: the TTY size to set first), kill (signal), stop (signal, timeout: manual stop, no restart), wait,
/// resize (rows, cols), pause, resume, state, network (re-read network.json after a connect or disconnect).
/// </summary>
public sealed class MonitorRequest
{
    [JsonPropertyName("op")] public string Op { get; set; } = "";
    [JsonPropertyName("signal")] public int Signal { get; set; }
    [JsonPropertyName("timeoutSeconds")] public int TimeoutSeconds { get; set; } = 10;
    [JsonPropertyName("rows")] public int Rows { get; set; }
    [JsonPropertyName("cols")] public int Cols { get; set; }
    [JsonPropertyName("stdin")] public bool Stdin { get; set; }
    [JsonPropertyName("stdout")] public bool Stdout { get; set; } = true;
    [JsonPropertyName("stderr")] public bool Stderr { get; set; } = true;
}
