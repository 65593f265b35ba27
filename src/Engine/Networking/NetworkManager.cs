using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.IO;

namespace ContainerPS.Engine.Networking;

/// <summary>
/// Networks (docker network ls/create/rm/prune): the built-in "bridge", "host" and "none", and
/// user-defined bridge networks stored as networks/&lt;id&gt;.json. Each bridge network becomes a
/// CNI configuration list (bridge + host-local IPAM, portmap, firewall) that the containers'
/// ADD/DEL run; the plugins create the bridge device on first use.
/// </summary>
public sealed class NetworkManager
{
    public const string DefaultNetworkName = "bridge";

    /// <summary>The default network is machine-wide, shared by every store root: one bridge, one subnet, one IPAM state.</summary>
    public static ContainerNetwork DefaultNetwork { get; } = new()
    {
        Id = BuiltInId("bridge"),
        Name = DefaultNetworkName,
        Subnet = "10.87.0.0/16",
        Gateway = "10.87.0.1",
        BridgeName = "containerps0",
        CniName = "containerps",
        BuiltIn = true,
    };

    private static readonly ContainerNetwork HostNetwork = new() { Id = BuiltInId("host"), Name = "host", Driver = "host", BuiltIn = true };
    private static readonly ContainerNetwork NoneNetwork = new() { Id = BuiltInId("none"), Name = "none", Driver = "null", BuiltIn = true };

    /// <summary>Fixed IDs for the built-ins, distinct in their first 12 characters (ID prefixes resolve).</summary>
    private static string BuiltInId(string name) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("containerps-network:" + name))).ToLowerInvariant();

    /// <summary>host-local keeps its leases here, per CNI network name: machine-wide, so stores never hand out one address twice.</summary>
    public const string IpamDataDir = "/run/containerps/cni/ipam";

    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };
    private readonly ContainerManager _containers;

    internal NetworkManager(ContainerManager containers) => _containers = containers;

    private StoreLayout Layout => _containers.Layout;
    private string Dir => Path.Combine(Layout.Root, "networks");

    /// <summary>docker network ls: built-ins first, then user networks by name, each with its attached containers.</summary>
    public IReadOnlyList<ContainerNetwork> List()
    {
        var attached = _containers.AttachedContainers();
        return new[] { DefaultNetwork, HostNetwork, NoneNetwork }.Concat(Stored().OrderBy(n => n.Name, StringComparer.Ordinal))
            .Select(n => n with { Containers = attached.Where(a => a.Networks.Contains(n.Name)).Select(a => a.Name).ToList() })
            .ToList();
    }

    /// <summary>Every network's name, reading only the network records (completers).</summary>
    public IReadOnlyList<string> Names() => new[] { DefaultNetwork.Name, HostNetwork.Name, NoneNetwork.Name }.Concat(Stored().Select(n => n.Name)).ToList();

    /// <summary>By exact name, full ID or unique ID prefix.</summary>
    /// <exception cref="NotFoundException">No such network.</exception>
    public ContainerNetwork Get(string nameOrId) =>
        TryFind(nameOrId) is { } n
            ? n with { Containers = _containers.AttachedContainers().Where(a => a.Networks.Contains(n.Name)).Select(a => a.Name).ToList() }
            : throw new NotFoundException("NetworkNotFound", $"network {nameOrId} not found", nameOrId);

    internal ContainerNetwork? TryFind(string nameOrId)
    {
        var all = new[] { DefaultNetwork, HostNetwork, NoneNetwork }.Concat(Stored()).ToList();
        if (all.FirstOrDefault(n => n.Name == nameOrId) is { } byName) return byName;
        var byId = all.Where(n => nameOrId.Length > 0 && n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        if (byId.Count > 1)
            throw new ConflictException("AmbiguousNetworkId", $"network {nameOrId} is ambiguous ({byId.Count} matches found based on ID prefix)", nameOrId, ErrorKind.InvalidArgument);
        return byId.FirstOrDefault();
    }

    /// <summary>docker network create.</summary>
    /// <exception cref="InvalidArgumentException">Bad name, subnet or gateway.</exception>
    /// <exception cref="ConflictException">The name exists, or the subnet overlaps one in use on this host.</exception>
    public ContainerNetwork Create(NetworkCreateOptions options)
    {
        var name = ContainerNames.ValidNetworkName(options.Name);
        if (name is "bridge" or "host" or "none" or "default")
            throw new ConflictException("NetworkNameReserved", $"{name} is a pre-defined network and cannot be created", name, ErrorKind.AlreadyExists);
        Ipv4Subnet? wanted = options.Subnet is null ? null : Ipv4Subnet.Parse(options.Subnet);
        if (options.Gateway is not null && wanted is null)
            throw new InvalidArgumentException("InvalidGateway", "a gateway needs a subnet (-Subnet)", options.Gateway);

        using var held = StoreLock.Acquire(Layout);
        if (Stored().Any(n => n.Name == name))
            throw new ConflictException("NetworkExists", $"network with name {name} already exists", name, ErrorKind.AlreadyExists);
        var id = ContainerNames.NewId();
        var subnet = SubnetAllocator.Reserve(wanted, id);
        try
        {
            var gateway = options.Gateway ?? subnet.FirstHost;
            if (!IPAddress.TryParse(gateway, out var gw) || gw.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !subnet.Contains(Ipv4Subnet.ToUInt(gw)))
                throw new InvalidArgumentException("InvalidGateway", $"invalid gateway '{gateway}': it must be an IPv4 address in {subnet}", gateway);
            var network = new ContainerNetwork
            {
                Id = id,
                Name = name,
                Subnet = subnet.ToString(),
                Gateway = gateway,
                Internal = options.Internal,
                BridgeName = "cps" + id[..12],
                CniName = "containerps-" + id[..12],
                Created = DateTimeOffset.UtcNow,
                Labels = new Dictionary<string, string>(options.Labels),
            };
            Directory.CreateDirectory(Dir);
            AtomicFile.WriteAllBytes(Path.Combine(Dir, id + ".json"), JsonSerializer.SerializeToUtf8Bytes(network, RecordJson));
            return network;
        }
        catch
        {
            SubnetAllocator.Release(subnet, id);
            throw;
        }
    }

    /// <summary>docker network rm: refuses built-ins and networks with running containers; removes the bridge device, its isolation rules and its IPAM state.</summary>
    public ContainerNetwork Remove(string nameOrId)
    {
        using var held = StoreLock.Acquire(Layout);
        var network = Get(nameOrId);
        if (network.BuiltIn)
            throw new ConflictException("NetworkBuiltIn", $"{network.Name} is a pre-defined network and cannot be removed", network.Name, ErrorKind.FailedPrecondition);
        var active = _containers.AttachedContainers().Where(a => a.Running && a.Networks.Contains(network.Name)).Select(a => a.Name).ToList();
        if (active.Count > 0)
            throw new ConflictException("NetworkInUse", $"error while removing network: network {network.Name} id {network.Id} has active endpoints ({string.Join(", ", active)})", network.Name, ErrorKind.FailedPrecondition);
        File.Delete(Path.Combine(Dir, network.Id + ".json"));
        CleanUpHost(network);
        return network;
    }

    /// <summary>docker network prune: every user network no container (running or not) refers to.</summary>
    public IReadOnlyList<ContainerNetwork> Prune()
    {
        var used = _containers.AttachedContainers().SelectMany(a => a.Networks).ToHashSet(StringComparer.Ordinal);
        var removed = new List<ContainerNetwork>();
        foreach (var n in Stored().Where(n => !used.Contains(n.Name)))
        {
            try { removed.Add(Remove(n.Id)); }
            catch (ConflictException) { } // in use meanwhile
        }
        return removed;
    }

    /// <summary>
    /// The CNI configuration list a container on <paramref name="network"/> is added with;
    /// <paramref name="isolate"/>: the firewall plugin lays the bridge's isolation rules too
    /// (see <see cref="BridgeIsolation"/>; once per bridge is enough).
    /// </summary>
    internal static string ConfList(ContainerNetwork network, bool withPorts, bool isolate = true)
    {
        var range = new JsonObject { ["subnet"] = network.Subnet };
        if (!network.Internal) range["gateway"] = network.Gateway;
        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(range)),
            ["dataDir"] = IpamDataDir,
        };
        if (!network.Internal) ipam["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" });
        var plugins = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "bridge",
                ["bridge"] = network.BridgeName,
                // Internal networks get no gateway address and no NAT: nothing routes out.
                ["isGateway"] = !network.Internal,
                ["ipMasq"] = !network.Internal,
                ["hairpinMode"] = true,
                ["ipam"] = ipam,
            },
        };
        // snat: connections to a published port on 127.0.0.1 come back through the host (hairpin).
        if (withPorts) plugins.Add(new JsonObject { ["type"] = "portmap", ["snat"] = true, ["capabilities"] = new JsonObject { ["portMappings"] = true } });
        // same-bridge: traffic from other bridges (other networks) is dropped; the host and the outside still reach in.
        // The rules are per bridge: "open" for a container whose bridge has them already (only that step is skipped).
        plugins.Add(new JsonObject { ["type"] = "firewall", ["backend"] = "iptables", ["ingressPolicy"] = isolate ? "same-bridge" : "open" });
        return new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = network.CniName, ["plugins"] = plugins }.ToJsonString();
    }

    private IEnumerable<ContainerNetwork> Stored()
    {
        if (!Directory.Exists(Dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(Dir, "*.json"))
        {
            ContainerNetwork? n;
            try { n = JsonSerializer.Deserialize<ContainerNetwork>(File.ReadAllBytes(file), RecordJson); }
            catch (Exception ex) when (ex is IOException or JsonException) { continue; }
            if (n is not null) yield return n;
        }
    }

    /// <summary>
    /// What the plugins leave behind once the last container is gone, by design: the bridge
    /// device, the firewall plugin's per-bridge isolation rules, host-local's lease directory,
    /// and our subnet reservation.
    /// </summary>
    private static void CleanUpHost(ContainerNetwork network)
    {
        if (network.BridgeName is { } bridge)
        {
            Run("ip", "link", "delete", bridge, "type", "bridge");
            const string comment = "CNI firewall plugin rules (ingressPolicy: same-bridge)";
            Run("iptables", "-w", "-D", "CNI-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge, "-m", "comment", "--comment", comment, "-j", "CNI-ISOLATION-STAGE-2");
            Run("iptables", "-w", "-D", "CNI-ISOLATION-STAGE-2", "-o", bridge, "-m", "comment", "--comment", comment, "-j", "DROP");
            BridgeIsolation.Forget(bridge);
        }
        if (network.CniName is { } cni)
        {
            try { Directory.Delete(Path.Combine(IpamDataDir, cni), recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
        if (network.Subnet is { } subnet) SubnetAllocator.Release(Ipv4Subnet.Parse(subnet), network.Id);
    }

    /// <summary>Runs a host tool for clean-up; failures (nothing to delete) are expected and ignored.</summary>
    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
