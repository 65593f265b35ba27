namespace ContainerPS.Engine.Networking;

/// <summary>
/// A network containers join (docker network inspect): the built-in "bridge", "host" and
/// "none", or a user-defined bridge network stored as networks/&lt;id&gt;.json. Bridge networks are
/// CNI bridge networks; <see cref="BridgeName"/> and <see cref="CniName"/> are machine-wide
/// unique (several store roots share one kernel).
/// </summary>
public sealed record ContainerNetwork
{
    public required string Id { get; init; }
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
    public required string Name { get; init; }
    /// <summary>"bridge", "host" or "null" (docker's driver names).</summary>
    public string Driver { get; init; } = "bridge";
    /// <summary>"local": networks belong to one host.</summary>
    public string Scope { get; init; } = "local";
    /// <summary>IPv4 subnet in CIDR form; null for host and none.</summary>
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    /// <summary>No route out (docker network create --internal): no gateway address, no NAT.</summary>
    public bool Internal { get; init; }
    /// <summary>The Linux bridge device; null for host and none.</summary>
    public string? BridgeName { get; init; }
    /// <summary>The CNI network name (host-local keeps its leases under this name).</summary>
    public string? CniName { get; init; }
    public DateTimeOffset Created { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>True for bridge, host and none, which cannot be removed.</summary>
    public bool BuiltIn { get; init; }
    /// <summary>Names of the containers attached (running or not), filled in when listed.</summary>
    public IReadOnlyList<string> Containers { get; init; } = Array.Empty<string>();

    public override string ToString() => Name;
}
