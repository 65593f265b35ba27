using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// containers/&lt;id&gt;/network.json: a running container's network, written by the engine after
/// the CNI ADDs, read by its monitor (which tears it down when the container stops for good)
/// and by the engine (addresses, ports, stale clean-up). Absent when nothing is set up.
/// </summary>
public sealed class NetworkSetup
{
    public const string FileName = "network.json";

    /// <summary>"bridge" (CNI networks), "none", "host" or "container".</summary>
    [JsonPropertyName("mode")] public string Mode { get; set; } = "bridge";
    /// <summary>The container's network namespace (a bind-mounted nsfs file); null for host.</summary>
    [JsonPropertyName("netnsPath")] public string? NetnsPath { get; set; }
    /// <summary>Whether this container created <see cref="NetnsPath"/> (and removes it); false when it joined another's.</summary>
    [JsonPropertyName("ownsNetns")] public bool OwnsNetns { get; set; }
    [JsonPropertyName("cniPath")] public string CniPath { get; set; } = CniPlugin.DefaultPath;
    /// <summary>A loopback plugin configuration to ADD as well; null since <see cref="NetworkNamespace.Create"/> sets lo up itself (issue 4).</summary>
    [JsonPropertyName("loopback")] public string? Loopback { get; set; }
    [JsonPropertyName("attachments")] public List<CniAttachment> Attachments { get; set; } = new();
    [JsonPropertyName("ports")] public List<PortBinding> Ports { get; set; } = new();
}
