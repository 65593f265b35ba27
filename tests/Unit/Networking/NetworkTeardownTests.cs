using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Networking;
using ContainerPS.Runtime.Networking;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>
/// The CNI DEL runs the plugins side by side and frees the address last (CniDeletePlan): on a
/// network so small that every address is reused at once, containers coming and going — one
/// after the other and at the same time — never cost a running container its firewall rules,
/// and nothing of theirs is left once they are gone.
/// </summary>
[Collection("Containers")]
public sealed class NetworkTeardownTests : IDisposable
{
    private readonly ContainerHarness _h = new();
    private readonly List<string> _ids = new();
    private ContainerNetwork? _network;
    private ContainerNetwork? _second;

    public void Dispose()
    {
        foreach (var c in _h.Containers.List(all: true))
        {
            try { _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (EngineException) { }
        }
        // -AutoRemove containers still on their way out are not listed: their monitors finish
        // (and tear their networks down) before the network and the store go.
        ContainerHarness.Eventually(() => !_ids.ToList().Any(ContainerHarness.MonitorProcessAlive), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        foreach (var n in new[] { _network, _second }.OfType<ContainerNetwork>())
        {
            try { _h.Containers.Networks.Remove(n.Id); }
            catch (EngineException) { }
        }
        _h.Dispose();
    }

    private Container Start(ContainerCreateOptions options)
    {
        var c = _h.Run(options);
        lock (_ids) _ids.Add(c.Id);
        return c;
    }

    /// <summary>What the cmdlet does for a foreground Start-Container -AutoRemove: run, wait for the exit, remove (which waits for the teardown).</summary>
    private async Task<Container> RunAndRemove(string network)
    {
        var c = Start(new ContainerCreateOptions { Network = network, Command = new[] { "true" } });
        Assert.Equal(0, await _h.Wait(c.Id, 30));
        await _h.Containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        return c;
    }

    /// <summary>Detached -AutoRemove: the monitor tears the network down and removes the container itself.</summary>
    private async Task<Container> RunAutoRemoved(string network)
    {
        var c = Start(new ContainerCreateOptions { Network = network, AutoRemove = true, Command = new[] { "true" } });
        Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(30)), $"{c.Id}: monitor still running");
        Assert.False(_h.Containers.TryGet(c.Id, out _));
        return c;
    }

    private static string[] FirewallRules(string ip) => new[]
    {
        $"-A CNI-FORWARD -d {ip}/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        $"-A CNI-FORWARD -s {ip}/32 -j ACCEPT",
    };

    private static string Address(Container c) => c.IPAddress ?? throw new InvalidOperationException($"{c.Id} has no address");

    [Fact]
    public async Task Containers_reusing_the_addresses_of_a_small_network_keep_their_rules_and_leave_nothing()
    {
        var iptablesBefore = NetworkTestSupport.IptablesSave();
        // A /29: .1 is the gateway, .2-.6 are the five addresses host-local hands out in turn.
        _network = _h.Containers.Networks.Create(new NetworkCreateOptions { Name = "teardown-net", Subnet = "10.91.29.0/29" });
        var net = _network.Name;
        var leases = Path.Combine(NetworkManager.IpamDataDir, _network.CniName!);

        // Back to back: each one's address is free again (and given to the next) once it is removed.
        var gone = new List<Container>();
        for (var i = 0; i < 6; i++) gone.Add(await RunAndRemove(net));

        // At the same time: two streams of short -AutoRemove containers, each torn down while
        // the next starts, and three long-running ones started among them — they get addresses
        // that containers tearing down just freed.
        var keepers = new List<Task<Container>>();
        var churn = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var mine = new List<Container>();
            for (var i = 0; i < 4; i++)
            {
                mine.Add(await RunAutoRemoved(net));
                mine.Add(await RunAndRemove(net));
            }
            return mine;
        })).ToList();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(150);
            keepers.Add(Task.Run(() => Start(new ContainerCreateOptions { Network = net, Command = new[] { "sleep", "300" } })));
        }
        foreach (var stream in churn) gone.AddRange(await stream);
        var running = (await Task.WhenAll(keepers)).Select(k => _h.Containers.Get(k.Id)).ToList();

        // Every running container still has its firewall rules and its lease; of the others
        // nothing is left: no NAT chain, rule or lease, no namespace.
        var saved = NetworkTestSupport.IptablesSave().Split('\n').ToHashSet(StringComparer.Ordinal);
        foreach (var k in running)
        {
            Assert.All(FirewallRules(Address(k).Split('/')[0]), rule => Assert.Contains(rule, saved));
            Assert.Contains(saved, l => l.StartsWith("-A POSTROUTING -s " + Address(k).Split('/')[0] + "/32", StringComparison.Ordinal) && l.Contains(k.Id, StringComparison.Ordinal));
            Assert.StartsWith(k.Id, File.ReadAllText(Path.Combine(leases, Address(k).Split('/')[0])));
        }
        var runningIps = running.Select(k => Address(k).Split('/')[0]).ToHashSet();
        Assert.Equal(runningIps.Order(), LeasedAddresses(leases).Order());
        Assert.Equal(3, runningIps.Count);
        Assert.Empty(NetworkTestSupport.NewLinesMentioning(iptablesBefore, NetworkTestSupport.IptablesSave(), gone.Select(c => c.Id)));
        Assert.All(gone, c => Assert.False(File.Exists(NetworkNamespace.PathFor(c.Id)), c.Id));
        Assert.True(gone.Count == 22, $"{gone.Count} short-lived containers");

        // And once the running ones are removed too: no rule for any address of the network, no lease.
        foreach (var k in running) await _h.Containers.RemoveAsync(k.Id, force: true, CancellationToken.None);
        var needles = Enumerable.Range(2, 5).Select(n => $"10.91.29.{n}/32").Concat(running.Concat(gone).Select(c => c.Id)).ToList();
        Assert.Empty(NetworkTestSupport.NewLinesMentioning(iptablesBefore, NetworkTestSupport.IptablesSave(), needles));
        Assert.Empty(LeasedAddresses(leases));
        Assert.All(running, c => Assert.False(File.Exists(NetworkNamespace.PathFor(c.Id)), c.Id));
    }

    [Fact]
    public async Task A_container_given_an_address_the_moment_it_is_freed_keeps_its_firewall_rules()
    {
        // A /30 has one address (.10; .9 is the gateway): a new container gets it only once the
        // old one released it, and tries to from the moment the old one's removal begins. Were
        // the lease freed while the old firewall DEL still ran, that DEL could delete the new
        // container's identical ACCEPT rules (the firewall plugin adds them only when they are
        // not there). The window is a few ms, so this does not catch such an order every time;
        // CniDeletePlanTests prove the order itself.
        _network = _h.Containers.Networks.Create(new NetworkCreateOptions { Name = "reuse-net", Subnet = "10.91.29.8/30" });
        var previous = Start(new ContainerCreateOptions { Network = _network.Name, Command = new[] { "sleep", "300" } });
        Assert.Equal("10.91.29.10", Address(_h.Containers.Get(previous.Id)).Split('/')[0]);
        for (var round = 0; round < 5; round++)
        {
            var removal = Task.Run(() => _h.Containers.RemoveAsync(previous.Id, force: true, CancellationToken.None));
            Container? next = null;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (next is null)
            {
                try { next = Start(new ContainerCreateOptions { Network = _network.Name, Command = new[] { "sleep", "300" } }); }
                catch (EngineException ex) when (ex.Message.Contains("no IP addresses available", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                {
                    foreach (var left in _h.Containers.List(all: true).Where(c => !c.Running && c.Id != previous.Id))
                        await _h.Containers.RemoveAsync(left.Id, force: true, CancellationToken.None);
                }
            }
            await removal;
            Assert.Equal("10.91.29.10", Address(_h.Containers.Get(next.Id)).Split('/')[0]);
            var saved = NetworkTestSupport.IptablesSave().Split('\n').ToHashSet(StringComparer.Ordinal);
            Assert.All(FirewallRules("10.91.29.10"), rule => Assert.True(saved.Contains(rule), $"round {round}: {rule} is gone"));
            previous = next;
        }
    }

    [Fact]
    public async Task A_container_on_two_networks_is_torn_down_on_both()
    {
        // The networks' DELs run side by side (their addresses never coincide); each releases its own lease last.
        var iptablesBefore = NetworkTestSupport.IptablesSave();
        _network = _h.Containers.Networks.Create(new NetworkCreateOptions { Name = "teardown-a", Subnet = "10.91.29.16/29" });
        _second = _h.Containers.Networks.Create(new NetworkCreateOptions { Name = "teardown-b", Subnet = "10.91.29.24/29" });
        var c = Start(new ContainerCreateOptions { Network = _network.Name, Command = new[] { "sleep", "300" } });
        _h.Containers.Connect(c.Id, _second.Name);
        var attachments = _h.Containers.Get(c.Id).NetworkAttachments;
        Assert.Equal(2, attachments.Count);
        var ips = attachments.Select(a => a.Address!.Split('/')[0]).ToList();
        var saved = NetworkTestSupport.IptablesSave().Split('\n').ToHashSet(StringComparer.Ordinal);
        Assert.All(ips.SelectMany(FirewallRules), rule => Assert.Contains(rule, saved));

        await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);

        Assert.Empty(NetworkTestSupport.NewLinesMentioning(iptablesBefore, NetworkTestSupport.IptablesSave(), ips.Select(ip => ip + "/32").Append(c.Id)));
        foreach (var n in new[] { _network, _second })
            Assert.Empty(LeasedAddresses(Path.Combine(NetworkManager.IpamDataDir, n.CniName!)));
        Assert.False(File.Exists(NetworkNamespace.PathFor(c.Id)));
    }

    /// <summary>host-local's lease files: one per address in use, named after it (beside last_reserved_ip.0 and lock).</summary>
    private static IEnumerable<string> LeasedAddresses(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith("10.", StringComparison.Ordinal)) : Array.Empty<string>();
}
