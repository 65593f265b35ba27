using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Networking;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Networking;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Containers on networks: which networks a new container joins, its network namespace in the
/// OCI spec, the CNI set-up before its monitor starts (published ports reserved first), peers'
/// /etc/hosts, connect/disconnect on running containers, and clean-up of a set-up whose monitor
/// died before it could tear it down.
/// </summary>
public sealed partial class ContainerManager
{
    /// <summary>A running container's network.json, or null.</summary>
    internal NetworkSetup? ReadNetwork(string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(System.IO.Path.Combine(DirOf(id), NetworkSetup.FileName)), MonitorJsonContext.Default.NetworkSetup);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Atomic but not fsynced: everything network.json describes (the namespace under
    /// /run/containerps/netns, veths, the plugins' rules, host-local leases under /run) is gone
    /// after a power loss anyway, so durability would buy nothing for two fsyncs per start.
    /// </summary>
    private void WriteNetwork(string id, NetworkSetup setup) =>
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(DirOf(id), NetworkSetup.FileName), JsonSerializer.SerializeToUtf8Bytes(setup, MonitorJsonContext.Default.NetworkSetup), durable: false);

    /// <summary>
    /// Has the running container's monitor re-read network.json: its copy is what tears the
    /// network down if the store is deleted under the container. Best effort — a monitor that is
    /// gone or older (no "network" op) changes nothing about the connect itself, which is done.
    /// </summary>
    private void TellMonitorNetworkChanged(string id)
    {
        if (ReadState(id).Socket is not { } socket) return;
        try
        {
            MonitorClient.RequestAsync(socket, new MonitorRequest { Op = "network" }, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (EngineException)
        {
        }
    }

    /// <summary>Every container with the bridge networks it is connected to.</summary>
    internal IReadOnlyList<(string Id, string Name, IReadOnlyList<string> Networks, bool Running)> AttachedContainers() =>
        Records().Select(r => (r.Id, r.Name, (IReadOnlyList<string>)r.Networks, Running: ReadState(r.Id).Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)).ToList();

    /// <summary>Create: checks the network (or the container to share) exists; returns the record's networks and points the spec's network namespace at the path the engine will create.</summary>
    private List<string> PlanNetwork(ContainerCreateOptions options, string id, RuntimeSpec spec)
    {
        var mode = NetworkMode.Parse(options.Network);
        var namespaces = spec.Linux?.Namespaces;
        var entry = namespaces?.FirstOrDefault(n => n.Type == LinuxNamespace.Network);
        switch (mode.Kind)
        {
            case NetworkModeKind.Host:
                if (entry is not null) namespaces!.Remove(entry);
                return new List<string>();
            case NetworkModeKind.Container:
                var target = Resolve(mode.Name!);
                if (target.Id == id) throw new InvalidArgumentException("InvalidNetworkMode", "cannot join the network of the container itself", mode.ToString());
                if (NetworkMode.Parse(target.Options.Network).Kind == NetworkModeKind.Host)
                {
                    if (entry is not null) namespaces!.Remove(entry);
                }
                else if (entry is not null) entry.Path = NetworkNamespace.PathFor(target.Id);
                return new List<string>();
            case NetworkModeKind.None:
                if (entry is not null) entry.Path = NoneUsesOwnNamespace(options) ? null : NetworkNamespace.PathFor(id);
                return new List<string>();
            default:
                Networks.Get(mode.Name!); // NotFound now rather than at start
                if (entry is not null) entry.Path = NetworkNamespace.PathFor(id);
                return new List<string> { mode.Name! };
        }
    }

    /// <summary>
    /// -Network none on the built-in runtime without published ports: the container's network
    /// namespace is made with it (CLONE_NEWNET in the monitor's namespace thread, lo up), like
    /// runc's; no persistent one under /run/containerps/netns to create and remove around every
    /// run (~0.7 ms of a start). runc and crun, which read the namespace from config.json, keep
    /// the persistent one (theirs would have lo down).
    /// </summary>
    private static bool NoneUsesOwnNamespace(ContainerCreateOptions options) =>
        (options.Runtime ?? "builtin") is "builtin" or "" && options.Publish.Length == 0 && !options.PublishAll;

    /// <summary>What Start sets up before the monitor: held ports, the CNI set-up (already ADDed) and where the monitor finds it.</summary>
    private sealed class StartNetwork : IDisposable
    {
        /// <summary>Planned, namespace created, ADDs not run yet (<see cref="FinishNetwork"/>).</summary>
        public NetworkSetup? Pending;
        public List<ContainerNetwork> Isolating = new();
        /// <summary>Up: the ADDs ran and network.json is written.</summary>
        public NetworkSetup? Setup;
        public PortReservation? Ports;
        public bool HostNetwork;
        public string? NetnsPath;
        public void Dispose() => Ports?.Dispose();
    }

    /// <summary>
    /// Start, first half: reserves the published ports (a taken port fails here, before anything
    /// exists), plans the attachments and creates the namespace (the monitor's init joins it).
    /// The CNI ADDs follow in <see cref="FinishNetwork"/>, while the monitor starts up. On any
    /// failure what was done is undone.
    /// </summary>
    private StartNetwork PrepareNetwork(ContainerRecord record)
    {
        TearDownStaleNetwork(record.Id);
        var mode = NetworkMode.Parse(record.Options.Network);
        var result = new StartNetwork();
        switch (mode.Kind)
        {
            case NetworkModeKind.Host:
                result.HostNetwork = true;
                return result;
            case NetworkModeKind.Container:
                var target = Resolve(mode.Name!);
                if (NetworkMode.Parse(target.Options.Network).Kind == NetworkModeKind.Host)
                {
                    result.HostNetwork = true;
                    return result;
                }
                var targetState = ToContainer(target);
                if (!targetState.Running)
                    throw new ConflictException("ContainerNotRunning", $"cannot join the network of container {target.Name}: it is not running", target.Name, ErrorKind.FailedPrecondition);
                if (ReadNetwork(target.Id)?.NetnsPath is { } persistent)
                {
                    result.NetnsPath = persistent;
                    return result;
                }
                // A built-in -Network none container's namespace is its process's own (nothing
                // persistent): joined through its PID 1 while it runs. runc and crun take the
                // path from config.json, written at create for a persistent namespace.
                if (record.Runtime is not ("builtin" or ""))
                    throw new ConflictException("NetworkModeConflict", $"cannot join the network of container {target.Name} with {record.Runtime}: its namespace is not persistent (-Network none on the built-in runtime); use the built-in runtime", target.Name, ErrorKind.FailedPrecondition);
                result.NetnsPath = $"/proc/{targetState.Pid}/ns/net";
                return result;
            case NetworkModeKind.None when NoneUsesOwnNamespace(record.Options):
                // A fresh namespace made with the container (the monitor unshares it and sets
                // lo up): nothing to create first, keep, or tear down (no network.json).
                return result;
        }

        var setup = new NetworkSetup
        {
            Mode = mode.Kind == NetworkModeKind.None ? "none" : "bridge",
            NetnsPath = NetworkNamespace.PathFor(record.Id),
            OwnsNetns = true,
        };
        var specs = record.Options.Publish.SelectMany(PortSpec.Parse).ToList();
        if (record.Options.PublishAll) specs.AddRange(PortSpec.FromExposed(ExposedPorts(record)));
        result.Ports = PortReservation.Bind(specs);
        try
        {
            setup.Ports = result.Ports.Bindings.ToList();
            var index = 0;
            var isolating = new List<ContainerNetwork>();
            foreach (var name in record.Networks)
            {
                // TryFind, not Get: the start needs no list of the network's containers (a read of every record).
                var network = Networks.TryFind(name) ?? throw new NotFoundException("NetworkNotFound", $"network {name} not found", name);
                if (network.Subnet is { } subnet && !network.BuiltIn) SubnetAllocator.Ensure(Ipv4Subnet.Parse(subnet), network.Id);
                var withPorts = index == 0 && setup.Ports.Count > 0;
                var isolate = BridgeIsolation.Needed(network);
                if (isolate) isolating.Add(network);
                setup.Attachments.Add(new CniAttachment
                {
                    Network = network.Name,
                    IfName = "eth" + index,
                    ConfList = NetworkManager.ConfList(network, withPorts, isolate),
                    RuntimeConfig = withPorts ? PortMappingsJson(setup.Ports) : null,
                    Aliases = PeerNames(record, network, index == 0 ? record.Options.NetworkAliases : Array.Empty<string>()),
                });
                index++;
            }
            if (setup.OwnsNetns) NetworkNamespace.Create(setup.NetnsPath);
            result.Isolating = isolating;
        }
        catch (IOException ex)
        {
            result.Dispose();
            throw new EngineException(ErrorKind.FailedPrecondition, "NetworkSetupFailed", $"creating the network namespace of container {record.Name}: {ex.Message}", record.Name);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        result.Pending = setup;
        result.NetnsPath = setup.NetnsPath;
        return result;
    }

    /// <summary>
    /// Start, second half (the monitor is starting meanwhile): the CNI ADDs, network.json and the
    /// peers' /etc/hosts entries. On failure everything, the namespace included, is undone.
    /// </summary>
    private void FinishNetwork(ContainerRecord record, StartNetwork result)
    {
        var setup = result.Pending!;
        try
        {
            NetworkLifecycle.AddAll(setup, record.Id);
            foreach (var network in result.Isolating) BridgeIsolation.Record(network);
        }
        catch (CniException ex)
        {
            throw new EngineException(ErrorKind.FailedPrecondition, "NetworkSetupFailed", $"setting up the network of container {record.Name}: {ex.Message}", record.Name);
        }
        try
        {
            WriteNetwork(record.Id, setup);
            using (StoreLock.Acquire(Layout)) PublishPeers(record.Id, setup);
        }
        catch
        {
            NetworkLifecycle.Down(setup, record.Id);
            AtomicFile.TryDelete(System.IO.Path.Combine(DirOf(record.Id), NetworkSetup.FileName));
            throw;
        }
        result.Setup = setup;
    }

    /// <summary>Start failed after the set-up, before a monitor took it over: undo it.</summary>
    private void AbandonNetwork(string id, StartNetwork network)
    {
        if ((network.Setup ?? network.Pending) is { } setup)
        {
            NetworkLifecycle.Down(setup, id);
            using (StoreLock.Acquire(Layout)) Runtime.Networking.HostsFile.ForgetPeer(Layout.Containers, id);
            AtomicFile.TryDelete(System.IO.Path.Combine(DirOf(id), NetworkSetup.FileName));
        }
        network.Dispose();
    }

    /// <summary>A network.json whose monitor is gone (killed, crashed): the teardown it owed.</summary>
    internal void TearDownStaleNetwork(string id)
    {
        var path = System.IO.Path.Combine(DirOf(id), NetworkSetup.FileName);
        if (!File.Exists(path) || MonitorAlive(ReadState(id).MonitorPid)) return;
        if (ReadNetwork(id) is { } stale) NetworkLifecycle.Down(stale, id);
        using (StoreLock.Acquire(Layout)) Runtime.Networking.HostsFile.ForgetPeer(Layout.Containers, id);
        AtomicFile.TryDelete(path);
    }

    /// <summary>Peers on shared user-defined networks learn this container's names, and it learns theirs. Caller holds the store lock.</summary>
    private void PublishPeers(string id, NetworkSetup setup)
    {
        var mine = setup.Attachments.Where(a => a.Network != NetworkManager.DefaultNetworkName && a.Address is not null).ToList();
        if (mine.Count == 0) return;
        var ownHosts = System.IO.Path.Combine(DirOf(id), "hosts");
        foreach (var other in Records().Where(r => r.Id != id))
        {
            if (ReadNetwork(other.Id) is not { } theirs || !MonitorAlive(ReadState(other.Id).MonitorPid)) continue;
            foreach (var a in mine)
            {
                if (theirs.Attachments.FirstOrDefault(t => t.Network == a.Network && t.Address is not null) is not { } peer) continue;
                Runtime.Networking.HostsFile.SetPeer(ownHosts, other.Id, Bare(peer.Address!), peer.Aliases);
                Runtime.Networking.HostsFile.SetPeer(System.IO.Path.Combine(DirOf(other.Id), "hosts"), id, Bare(a.Address!), a.Aliases);
            }
        }
    }

    private static string Bare(string cidr) => cidr.IndexOf('/') is var i and >= 0 ? cidr[..i] : cidr;

    private static List<string> PeerNames(ContainerRecord record, ContainerNetwork network, IEnumerable<string> aliases) =>
        network.BuiltIn ? new List<string>() : new[] { record.Name }.Concat(aliases).Append(record.Id[..12]).Distinct(StringComparer.Ordinal).ToList();

    private static string PortMappingsJson(IEnumerable<PortBinding> ports)
    {
        var array = new System.Text.Json.Nodes.JsonArray();
        foreach (var p in ports)
        {
            var o = new System.Text.Json.Nodes.JsonObject { ["hostPort"] = p.HostPort, ["containerPort"] = p.ContainerPort, ["protocol"] = p.Protocol };
            if (p.HostIp.Length > 0) o["hostIP"] = p.HostIp;
            array.Add(o);
        }
        return new System.Text.Json.Nodes.JsonObject { ["portMappings"] = array }.ToJsonString();
    }

    private IEnumerable<string> ExposedPorts(ContainerRecord record)
    {
        var config = Images.ReadConfig(Digest.Parse(record.ImageId)).Config;
        return config?.ExposedPorts?.Keys ?? Enumerable.Empty<string>();
    }

    /// <summary>docker network connect: a running container gets a new interface now; a stopped one on its next start.</summary>
    /// <exception cref="ConflictException">Already connected, or the container's network mode has no bridge networks.</exception>
    public Container Connect(string nameOrId, string networkName, IReadOnlyList<string>? aliases = null)
    {
        var network = Networks.Get(networkName);
        if (network.Driver != "bridge")
            throw new ConflictException("NetworkNotConnectable", $"container cannot be connected to network {network.Name} (driver {network.Driver})", network.Name, ErrorKind.FailedPrecondition);
        var record = Resolve(nameOrId);
        using var containerLock = FileLock.Acquire(System.IO.Path.Combine(DirOf(record.Id), "lock"));
        record = Resolve(record.Id);
        var mode = NetworkMode.Parse(record.Options.Network);
        if (mode.Kind != NetworkModeKind.Bridge)
            throw new ConflictException("NetworkModeConflict", $"container {record.Name} uses network mode '{mode}': it cannot be connected to other networks", record.Name, ErrorKind.FailedPrecondition);
        if (record.Networks.Contains(network.Name))
            throw new ConflictException("AlreadyConnected", $"endpoint with name {record.Name} already exists in network {network.Name}", record.Name, ErrorKind.AlreadyExists);
        if (ToContainer(record).Running && ReadNetwork(record.Id) is { } setup)
        {
            var used = setup.Attachments.Select(a => a.IfName).ToHashSet(StringComparer.Ordinal);
            var index = 0;
            while (used.Contains("eth" + index)) index++;
            var isolate = BridgeIsolation.Needed(network);
            var attachment = new CniAttachment
            {
                Network = network.Name,
                IfName = "eth" + index,
                ConfList = NetworkManager.ConfList(network, withPorts: false, isolate),
                Aliases = PeerNames(record, network, aliases ?? Array.Empty<string>()),
            };
            try
            {
                NetworkLifecycle.Attach(setup, attachment, record.Id);
                if (isolate) BridgeIsolation.Record(network);
            }
            catch (CniException ex)
            {
                throw new EngineException(ErrorKind.FailedPrecondition, "NetworkSetupFailed", $"connecting container {record.Name} to network {network.Name}: {ex.Message}", record.Name);
            }
            setup.Attachments.Add(attachment);
            WriteNetwork(record.Id, setup);
            TellMonitorNetworkChanged(record.Id);
            using (StoreLock.Acquire(Layout))
            {
                record = Resolve(record.Id);
                record.Networks.Add(network.Name);
                WriteRecord(DirOf(record.Id), record);
                PublishPeers(record.Id, setup);
            }
        }
        else
        {
            using (StoreLock.Acquire(Layout))
            {
                record = Resolve(record.Id);
                record.Networks.Add(network.Name);
                WriteRecord(DirOf(record.Id), record);
            }
        }
        return Get(record.Id);
    }

    /// <summary>docker network disconnect: removes the interface of a running container (CNI DEL) and the network from its record.</summary>
    public Container Disconnect(string nameOrId, string networkName)
    {
        var network = Networks.Get(networkName);
        var record = Resolve(nameOrId);
        using var containerLock = FileLock.Acquire(System.IO.Path.Combine(DirOf(record.Id), "lock"));
        record = Resolve(record.Id);
        if (!record.Networks.Contains(network.Name))
            throw new ConflictException("NotConnected", $"container {record.Name} is not connected to network {network.Name}", record.Name, ErrorKind.FailedPrecondition);
        if (ToContainer(record).Running && ReadNetwork(record.Id) is { } setup &&
            setup.Attachments.FirstOrDefault(a => a.Network == network.Name) is { } attachment)
        {
            NetworkLifecycle.Detach(setup, attachment, record.Id);
            setup.Attachments.Remove(attachment);
            WriteNetwork(record.Id, setup);
            TellMonitorNetworkChanged(record.Id);
            using (StoreLock.Acquire(Layout))
            {
                // Forget peers (both ways) that no longer share a network with it.
                var ownHosts = System.IO.Path.Combine(DirOf(record.Id), "hosts");
                foreach (var peerId in Runtime.Networking.HostsFile.Peers(ownHosts))
                {
                    var peer = ReadNetwork(peerId);
                    if (peer is not null && peer.Attachments.Any(p => setup.Attachments.Any(a => a.Network == p.Network && a.Network != NetworkManager.DefaultNetworkName))) continue;
                    Runtime.Networking.HostsFile.SetPeer(ownHosts, peerId, null, Array.Empty<string>());
                    Runtime.Networking.HostsFile.SetPeer(System.IO.Path.Combine(DirOf(peerId), "hosts"), record.Id, null, Array.Empty<string>());
                }
            }
        }
        using (StoreLock.Acquire(Layout))
        {
            record = Resolve(record.Id);
            record.Networks.Remove(network.Name);
            WriteRecord(DirOf(record.Id), record);
        }
        return Get(record.Id);
    }
}
