using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Monitor;

/// <summary>
/// The process an exec starts inside a running container (docker exec), handed to the shim's
/// exec mode on a pipe: the shim runs inside the container's namespaces, where no host file
/// is reachable, so nothing can be passed by path.
/// </summary>
public sealed class ExecRequest
{
    [JsonPropertyName("args")] public List<string> Args { get; set; } = new();
    [JsonPropertyName("env")] public List<string> Env { get; set; } = new();
    [JsonPropertyName("cwd")] public string Cwd { get; set; } = "/";
    [JsonPropertyName("uid")] public uint Uid { get; set; }
    [JsonPropertyName("gid")] public uint Gid { get; set; }
    [JsonPropertyName("additionalGids")] public List<uint> AdditionalGids { get; set; } = new();
    [JsonPropertyName("bounding")] public List<string> Bounding { get; set; } = new();
    [JsonPropertyName("effective")] public List<string> Effective { get; set; } = new();
    [JsonPropertyName("permitted")] public List<string> Permitted { get; set; } = new();
    [JsonPropertyName("inheritable")] public List<string> Inheritable { get; set; } = new();
    [JsonPropertyName("ambient")] public List<string> Ambient { get; set; } = new();
    [JsonPropertyName("noNewPrivileges")] public bool NoNewPrivileges { get; set; }
    [JsonPropertyName("tty")] public bool Tty { get; set; }

    /// <summary>With <see cref="Tty"/>: the terminal's size, set by the shim before exec (runc's process.consoleSize); 0: unset.</summary>
    [JsonPropertyName("consoleRows")] public int ConsoleRows { get; set; }

    [JsonPropertyName("consoleCols")] public int ConsoleCols { get; set; }
}
