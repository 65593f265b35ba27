using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Networking;
using ContainerPS.Runtime.Networking;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>
/// User-defined networks: containers reach each other by name and alias (their /etc/hosts kept
/// current), networks are isolated from each other, connect/disconnect work on running
/// containers, and removing containers and networks leaves no veth, netns, iptables rule or lease.
/// </summary>
[Collection("Containers")]
public sealed class UserNetworkTests : IDisposable
{
    private readonly ContainerHarness _h = new();
    private readonly List<ContainerNetwork> _networks = new();

    public void Dispose()
    {
        // Containers first (networks in use cannot go), then the networks — their bridges, rules,
        // leases and subnet reservations are machine-wide — and only then the store.
        foreach (var c in _h.Containers.List(all: true))
        {
            try { _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (EngineException) { }
        }
        foreach (var n in _networks)
        {
            try { _h.Containers.Networks.Remove(n.Id); }
            catch (EngineException) { }
        }
        _h.Dispose();
    }

    private ContainerNetwork NewNetwork(string name, string? subnet = null, bool @internal = false)
    {
        var n = _h.Containers.Networks.Create(new NetworkCreateOptions { Name = name, Subnet = subnet, Internal = @internal });
        _networks.Add(n);
        return n;
    }

    // Debian's busybox-static wget segfaults with -T (its timeout option, whatever the target):
    // busybox timeout bounds it instead.
    private static string[] Wget(string url) =>
        new[] { "sh", "-c", $"for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do timeout 3 wget -q -O - {url} && exit 0; sleep 0.2; done; exit 1" };

    /// <summary>One fetch that a DROP rule makes hang: timeout kills it (exit 143), which tells "dropped" from "refused" or a crash.</summary>
    // Not exec'ed by sh: as PID 1, wget would ignore the SIGTERM from timeout.
    private static string[] WgetOnce(string url) => new[] { "sh", "-c", $"timeout 3 wget -q -O - {url}; exit $?" };

    private const int Dropped = 143;

    [Fact]
    public async Task Two_containers_on_a_user_network_talk_by_name_and_alias()
    {
        var net = NewNetwork("appnet");
        Assert.StartsWith("10.89.", net.Subnet);
        var web = _h.Run(new ContainerCreateOptions { Name = "web", Network = "appnet", NetworkAliases = new[] { "www" }, Command = NetworkTestSupport.Httpd("by-name") });
        var byName = await _h.RunToEnd(new ContainerCreateOptions { Network = "appnet", Command = Wget("http://web/index.html") }, 30);
        Assert.Equal("by-name", byName.Stdout.Trim());
        var byAlias = await _h.RunToEnd(new ContainerCreateOptions { Network = "appnet", Command = Wget("http://www/index.html") }, 30);
        Assert.Equal("by-name", byAlias.Stdout.Trim());

        // Kept current: a peer that comes and goes appears in, then leaves, web's /etc/hosts.
        var hosts = Path.Combine(_h.DirOf(web.Id), "hosts");
        var peer = _h.Run(new ContainerCreateOptions { Name = "peer", Network = "appnet", Command = new[] { "sleep", "300" } });
        Assert.Contains("\tpeer ", File.ReadAllText(hosts));
        Assert.Contains("peer", NetworkTestSupport.Exec(_h, web.Id, "cat /etc/hosts"));
        await _h.Kill(peer.Id);
        await _h.Settled(peer.Id, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("\tpeer ", File.ReadAllText(hosts));
        Assert.DoesNotContain("peer", NetworkTestSupport.Exec(_h, web.Id, "cat /etc/hosts"));

        Assert.Equal(new[] { "web" }, _h.Containers.Networks.Get("appnet").Containers.Where(n => n == "web"));
    }

    [Fact]
    public async Task Containers_on_different_networks_cannot_reach_each_other()
    {
        NewNetwork("neta");
        NewNetwork("netb");
        var a = _h.Run(new ContainerCreateOptions { Name = "srv-a", Network = "neta", Command = NetworkTestSupport.Httpd("in-a") });
        var address = _h.Containers.Get(a.Id).IPAddress!;
        Assert.Equal("in-a", (await NetworkTestSupport.Fetch(address, 80))?.Trim()); // the host reaches it

        var same = await _h.RunToEnd(new ContainerCreateOptions { Network = "neta", Command = Wget($"http://{address}/index.html") }, 30);
        Assert.Equal("in-a", same.Stdout.Trim());
        var other = await _h.RunToEnd(new ContainerCreateOptions { Network = "netb", Command = WgetOnce($"http://{address}/index.html") }, 30);
        Assert.Equal(Dropped, other.ExitCode);
        Assert.DoesNotContain("in-a", other.Stdout);
        var fromDefault = await _h.RunToEnd(new ContainerCreateOptions { Command = WgetOnce($"http://{address}/index.html") }, 30);
        Assert.Equal(Dropped, fromDefault.ExitCode);
        // The isolation rules are laid once per bridge: a second container on neta gets the
        // firewall plugin's "open" (no per-start rule checks) and is dropped from netb all the same.
        var a2 = _h.Run(new ContainerCreateOptions { Name = "srv-a2", Network = "neta", Command = NetworkTestSupport.Httpd("in-a2") });
        Assert.Contains("\"same-bridge\"", _h.Containers.Get(a.Id).NetworkAttachments[0].ConfList);
        Assert.Contains("\"ingressPolicy\":\"open\"", _h.Containers.Get(a2.Id).NetworkAttachments[0].ConfList);
        var address2 = _h.Containers.Get(a2.Id).IPAddress!;
        var other2 = await _h.RunToEnd(new ContainerCreateOptions { Network = "netb", Command = WgetOnce($"http://{address2}/index.html") }, 30);
        Assert.Equal(Dropped, other2.ExitCode);
        Assert.DoesNotContain("in-a2", other2.Stdout);
        // Nor by name across networks.
        var byName = await _h.RunToEnd(new ContainerCreateOptions { Network = "netb", Command = new[] { "sh", "-c", "grep -q srv-a /etc/hosts && echo listed; timeout 3 wget -q -O - http://srv-a/index.html; exit $?" } }, 30);
        Assert.DoesNotContain("listed", byName.Stdout);
        Assert.NotEqual(0, byName.ExitCode);
    }

    [Fact]
    public async Task Connect_and_disconnect_a_running_container()
    {
        NewNetwork("joinnet");
        _h.Run(new ContainerCreateOptions { Name = "srv", Network = "joinnet", Command = NetworkTestSupport.Httpd("joined") });
        var client = _h.Run(new ContainerCreateOptions { Name = "cli", Command = new[] { "sleep", "300" } });
        Assert.NotEqual(0, await ExecCode(client.Id, "timeout 3 wget -q -O - http://srv/index.html"));

        var connected = _h.Containers.Connect("cli", "joinnet", new[] { "client-alias" });
        Assert.Equal(new[] { "bridge", "joinnet" }, connected.Networks);
        Assert.Contains("eth1", NetworkTestSupport.Exec(_h, client.Id, "cat /proc/net/dev"));
        Assert.Contains("joined", NetworkTestSupport.Exec(_h, client.Id, "timeout 3 wget -q -O - http://srv/index.html"));
        var ex = Assert.Throws<ConflictException>(() => _h.Containers.Connect("cli", "joinnet"));
        Assert.Equal("AlreadyConnected", ex.ErrorId);

        var disconnected = _h.Containers.Disconnect("cli", "joinnet");
        Assert.Equal(new[] { "bridge" }, disconnected.Networks);
        Assert.DoesNotContain("eth1", NetworkTestSupport.Exec(_h, client.Id, "cat /proc/net/dev"));
        Assert.DoesNotContain("srv", NetworkTestSupport.Exec(_h, client.Id, "cat /etc/hosts"));
    }

    [Fact]
    public async Task Networks_are_listed_created_and_removed_with_docker_rules()
    {
        var names = _h.Containers.Networks.List().Select(n => n.Name).ToList();
        Assert.Equal(new[] { "bridge", "host", "none" }, names.Take(3));

        var n = NewNetwork("fixed", "10.91.7.0/24");
        Assert.Equal("10.91.7.1", n.Gateway);
        Assert.Equal("NetworkExists", Assert.Throws<ConflictException>(() => _h.Containers.Networks.Create(new NetworkCreateOptions { Name = "fixed" })).ErrorId);
        Assert.Equal("SubnetInUse", Assert.Throws<ConflictException>(() => NewNetwork("overlap", "10.91.7.128/25")).ErrorId);
        Assert.Equal("SubnetInUse", Assert.Throws<ConflictException>(() => NewNetwork("hostnet", "192.0.2.0/24")).ErrorId); // eth0's
        Assert.Equal("InvalidSubnet", Assert.Throws<InvalidArgumentException>(() => NewNetwork("bad", "10.91.7.1/24")).ErrorId);
        Assert.Equal("NetworkBuiltIn", Assert.Throws<ConflictException>(() => _h.Containers.Networks.Remove("bridge")).ErrorId);
        Assert.Equal("NetworkNotFound", Assert.Throws<NotFoundException>(() => _h.Containers.Networks.Get("nope")).ErrorId);
        Assert.Equal("NetworkNotFound", Assert.Throws<NotFoundException>(() => _h.Containers.Create(new ContainerCreateOptions { Image = "busybox", Network = "nope" })).ErrorId);

        var c = _h.Run(new ContainerCreateOptions { Network = "fixed", Command = new[] { "sleep", "300" } });
        Assert.StartsWith("10.91.7.", _h.Containers.Get(c.Id).IPAddress);
        Assert.Equal("NetworkInUse", Assert.Throws<ConflictException>(() => _h.Containers.Networks.Remove("fixed")).ErrorId);
        await _h.Kill(c.Id);
        await _h.Settled(c.Id, TimeSpan.FromSeconds(10));
        // Stopped containers still refer to it: prune keeps it, rm removes it.
        Assert.DoesNotContain(_h.Containers.Networks.Prune(), p => p.Name == "fixed");
        _h.Containers.Networks.Remove("fixed");
        Assert.DoesNotContain(_h.Containers.Networks.List(), p => p.Name == "fixed");
    }

    [Fact]
    public async Task Internal_networks_have_no_route_out()
    {
        NewNetwork("inside", @internal: true);
        var r = await _h.RunToEnd(new ContainerCreateOptions { Network = "inside", Command = new[] { "sh", "-c", "ip route; ip -4 addr show eth0" } }, 20);
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("default", r.Stdout);
        Assert.Contains("inet 10.", r.Stdout);
    }

    [Fact]
    public async Task Removing_containers_and_networks_leaves_no_veth_netns_rule_or_lease()
    {
        var iptablesBefore = NetworkTestSupport.IptablesSave();
        var net = NewNetwork("cleannet");
        var server = _h.Run(new ContainerCreateOptions { Name = "clean-srv", Network = "cleannet", Publish = new[] { $"{NetworkTestSupport.FreePort()}:80" }, Command = NetworkTestSupport.Httpd("x") });
        var plain = _h.Run(new ContainerCreateOptions { Command = new[] { "sleep", "300" } });
        var setups = new[] { server, plain }.Select(c => _h.Containers.Get(c.Id)).ToList();
        var hostVeths = setups.SelectMany(c => c.NetworkAttachments).Select(a => HostVeth(a.Result!)).ToList();
        var addresses = setups.Select(c => c.IPAddress!).ToList();
        Assert.All(hostVeths, v => Assert.True(NetworkTestSupport.LinkExists(v), v));
        Assert.True(NetworkTestSupport.LinkExists(net.BridgeName!));
        Assert.NotEmpty(NetworkTestSupport.NewLinesMentioning(iptablesBefore, NetworkTestSupport.IptablesSave(), new[] { server.Id, net.BridgeName! }));

        foreach (var c in new[] { server, plain }) await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        _h.Containers.Networks.Remove(net.Id);

        Assert.All(hostVeths, v => Assert.False(NetworkTestSupport.LinkExists(v), v));
        Assert.False(NetworkTestSupport.LinkExists(net.BridgeName!));
        foreach (var c in new[] { server, plain }) Assert.False(File.Exists(NetworkNamespace.PathFor(c.Id)));
        var needles = new[] { server.Id, plain.Id, net.BridgeName!, net.CniName! }.Concat(addresses.Select(a => a + "/32")).ToList();
        Assert.Empty(NetworkTestSupport.NewLinesMentioning(iptablesBefore, NetworkTestSupport.IptablesSave(), needles));
        Assert.False(Directory.Exists(Path.Combine(NetworkManager.IpamDataDir, net.CniName!)));
        Assert.False(File.Exists(Path.Combine(BridgeIsolation.Directory, net.BridgeName!))); // laid again for a new bridge
        var leases = Path.Combine(NetworkManager.IpamDataDir, "containerps");
        Assert.DoesNotContain(addresses[1], Directory.Exists(leases) ? Directory.GetFiles(leases).Select(Path.GetFileName) : Array.Empty<string>());
    }

    [Fact]
    public async Task A_network_connected_after_the_start_is_torn_down_even_when_the_store_goes_first()
    {
        var net = NewNetwork("latenet");
        var c = _h.Run(new ContainerCreateOptions { Command = new[] { "sleep", "300" } });
        _h.Containers.Connect(c.Id, "latenet");
        var attached = _h.Containers.Get(c.Id);
        var lateVeth = HostVeth(attached.NetworkAttachments.Single(a => a.Network == "latenet").Result!);
        var leases = Path.Combine(NetworkManager.IpamDataDir, net.CniName!);
        Assert.Contains(LeasesOf(leases, c.Id), _ => true);
        Assert.True(NetworkTestSupport.LinkExists(lateVeth));

        // The container's directory goes under the running container (as a deleted temporary
        // store takes it), network.json with it; then its process ends and the monitor tears
        // down from its own copy, which must include the attachment connected after the start.
        // A copy of our own, so that a failing run still tears everything down (finally).
        var rescue = Path.Combine(_h.Store.Root, c.Id + ".network.json");
        File.Copy(Path.Combine(_h.DirOf(c.Id), NetworkSetup.FileName), rescue);
        try
        {
            Directory.Delete(_h.DirOf(c.Id), recursive: true);
            System.Diagnostics.Process.GetProcessById(attached.Pid).Kill();
            Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(15)), "monitor still running");

            Assert.Empty(LeasesOf(leases, c.Id));
            Assert.False(NetworkTestSupport.LinkExists(lateVeth), lateVeth);
            Assert.False(File.Exists(NetworkNamespace.PathFor(c.Id)));
            Assert.False(File.Exists($"/run/containerps/{c.Id}.network.json"));
        }
        finally
        {
            // What a monitor that did not know the attachment leaves: its lease (netdown releases
            // it; the namespace is gone, so the bridge plugin cannot find its masquerade rules)
            // and those rules, removed by the container ID in their comment.
            if (LeasesOf(leases, c.Id).Count > 0) Support.Tool.Run(ShimLocator.Find(), "netdown", rescue, c.Id, _h.Store.Layout.Containers);
            RemoveMasqueradeRulesOf(c.Id);
        }
    }

    /// <summary>The bridge plugin's nat POSTROUTING jumps for container <paramref name="id"/> and their CNI-… chains.</summary>
    private static void RemoveMasqueradeRulesOf(string id)
    {
        var rules = NetworkTestSupport.Run("iptables", "-t", "nat", "-S", "POSTROUTING").Split('\n')
            .Where(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal) && l.Contains($"id: \\\"{id}\\\"", StringComparison.Ordinal)).ToList();
        if (rules.Count == 0) return;
        var chains = rules.Select(l => l[(l.LastIndexOf("-j ", StringComparison.Ordinal) + 3)..].Trim()).Where(c => c.StartsWith("CNI-", StringComparison.Ordinal)).Distinct().ToList();
        var numbered = NetworkTestSupport.Run("iptables", "-t", "nat", "-L", "POSTROUTING", "--line-numbers", "-n").Split('\n')
            .Where(l => l.Contains(id, StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ', 2)[0])).OrderDescending();
        foreach (var n in numbered) Support.Tool.Run("iptables", "-t", "nat", "-D", "POSTROUTING", n.ToString());
        foreach (var chain in chains)
        {
            Support.Tool.Run("iptables", "-t", "nat", "-F", chain);
            Support.Tool.Run("iptables", "-t", "nat", "-X", chain);
        }
    }

    /// <summary>host-local's lease files (named by address, holding the container ID) of one container.</summary>
    private static List<string> LeasesOf(string dir, string id) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir).Where(f => File.ReadAllText(f).Contains(id, StringComparison.Ordinal)).ToList() : new List<string>();

    [Fact]
    public async Task A_network_that_cannot_be_set_up_fails_the_start_and_leaves_nothing()
    {
        // A /30 has one address for containers besides the gateway: the second start's ADD fails
        // in host-local (while its monitor is already starting: the ADDs run beside it).
        var net = NewNetwork("tinynet", "10.89.251.0/30");
        var first = _h.Run(new ContainerCreateOptions { Name = "tiny-1", Network = "tinynet", Command = new[] { "sleep", "300" } });
        var second = _h.Containers.Create(new ContainerCreateOptions { Image = "busybox", Name = "tiny-2", Network = "tinynet", Command = new[] { "true" } });
        var ex = Assert.ThrowsAny<EngineException>(() => _h.Containers.Start(second.Id));
        Assert.Equal("NetworkSetupFailed", ex.ErrorId);
        Assert.Contains("tiny-2", ex.Message);

        // Nothing of the second is left: no namespace, no network.json, no monitor; it did not run.
        await _h.Settled(second.Id, TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(NetworkNamespace.PathFor(second.Id)));
        Assert.False(File.Exists(Path.Combine(_h.DirOf(second.Id), NetworkSetup.FileName)));
        var failed = _h.Containers.Get(second.Id);
        Assert.False(failed.Running);
        Assert.Equal(125, failed.ExitCode);
        var leases = Path.Combine(NetworkManager.IpamDataDir, net.CniName!);
        Assert.Equal(new[] { _h.Containers.Get(first.Id).IPAddress }, Directory.GetFiles(leases).Select(Path.GetFileName).Where(f => f!.StartsWith("10.")));

        // The first is untouched; once it is gone the address serves the second.
        Assert.Equal(0, await ExecCode(first.Id, "true"));
        await _h.Containers.RemoveAsync(first.Id, force: true, CancellationToken.None);
        var rerun = await _h.RunToEnd(new ContainerCreateOptions { Network = "tinynet", Command = new[] { "true" } }, 30);
        Assert.Equal(0, rerun.ExitCode);
    }

    /// <summary>The host end of the veth pair: the CNI bridge result's interface without a sandbox, other than the bridge.</summary>
    private static string HostVeth(string result)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(result)!;
        return root["interfaces"]!.AsArray().Select(i => i!).Where(i => i["sandbox"] is null).Select(i => i["name"]!.GetValue<string>()).Last();
    }

    private async Task<int> ExecCode(string id, string script)
    {
        var code = await _h.Containers.ExecAsync(id, new ExecOptions { Command = new[] { "sh", "-c", script } }, new AttachStreams { Output = (_, _) => { } }, CancellationToken.None);
        return code;
    }
}
