using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// One network a container is attached to: the CNI network configuration list it was added
/// with and the result of that ADD — DEL needs both (the spec passes the cached result as
/// prevResult), possibly from another process (the monitor) long after.
/// </summary>
public sealed class CniAttachment
{
    /// <summary>The engine's network name ("bridge", or a user-defined network).</summary>
    [JsonPropertyName("network")] public string Network { get; set; } = "";
    /// <summary>The interface name inside the container (eth0, eth1, …).</summary>
    [JsonPropertyName("ifName")] public string IfName { get; set; } = "eth0";
    /// <summary>The CNI network configuration list (conflist JSON) exactly as it was added.</summary>
    [JsonPropertyName("confList")] public string ConfList { get; set; } = "";
    /// <summary>runtimeConfig for plugins that declare the capability (portMappings), as JSON; null when none.</summary>
    [JsonPropertyName("runtimeConfig")] public string? RuntimeConfig { get; set; }
    /// <summary>The final ADD result (CNI result JSON); null until the ADD succeeded.</summary>
    [JsonPropertyName("result")] public string? Result { get; set; }
    /// <summary>The container's address on this network (from the result), e.g. "10.87.0.5/16".</summary>
    [JsonPropertyName("address")] public string? Address { get; set; }
    [JsonPropertyName("gateway")] public string? Gateway { get; set; }
    [JsonPropertyName("mac")] public string? MacAddress { get; set; }
    /// <summary>Names this container answers to on the network (its name, aliases), for peers' /etc/hosts.</summary>
    [JsonPropertyName("aliases")] public List<string> Aliases { get; set; } = new();
}
