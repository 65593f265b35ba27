namespace ContainerPS.Engine.Networking;

/// <summary>docker network create: name, optional subnet/gateway (chosen when null), --internal, labels.</summary>
public sealed class NetworkCreateOptions
{
    public string Name { get; set; } = "";
    /// <summary>IPv4 CIDR; a free /24 from 10.89.0.0/16 when null.</summary>
    public string? Subnet { get; set; }
    /// <summary>The bridge's address; the subnet's first host when null.</summary>
    public string? Gateway { get; set; }
    public bool Internal { get; set; }
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
