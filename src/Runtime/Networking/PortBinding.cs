using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Networking;

/// <summary>A published port as it was bound: the host side is concrete (a free port was chosen for -PublishAll).</summary>
public sealed class PortBinding
{
    /// <summary>"" for every host address, else the one address ("127.0.0.1").</summary>
    [JsonPropertyName("hostIP")] public string HostIp { get; set; } = "";
    [JsonPropertyName("hostPort")] public int HostPort { get; set; }
    [JsonPropertyName("containerPort")] public int ContainerPort { get; set; }
    /// <summary>"tcp" or "udp".</summary>
    [JsonPropertyName("protocol")] public string Protocol { get; set; } = "tcp";

    /// <summary>docker ps style: "0.0.0.0:8080->80/tcp".</summary>
    public override string ToString() => $"{(HostIp.Length == 0 ? "0.0.0.0" : HostIp)}:{HostPort}->{ContainerPort}/{Protocol}";
}
