using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Networking;
using ContainerPS.Runtime.Networking;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>Every container joins the machine-wide default bridge network through the CNI plugins unless told otherwise.</summary>
[Collection("Containers")]
public sealed class DefaultNetworkTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_container_gets_an_address_on_the_default_bridge_and_reaches_its_gateway()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { Command = new[] { "sh", "-c", "ip -4 addr show eth0; ip route; ip link show lo; ping -c 1 -W 2 10.87.0.1 >/dev/null && echo gateway-ok" } }, 20);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"inet 10\.87\.\d+\.\d+/16", r.Stdout);
        Assert.Contains("default via 10.87.0.1", r.Stdout);
        Assert.Contains("gateway-ok", r.Stdout);
        Assert.Contains("UP", r.Stdout.Split('\n').First(l => l.Contains(": lo:", StringComparison.Ordinal)));
        await _h.Settled(r.Id, TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(NetworkNamespace.PathFor(r.Id)));
        Assert.False(File.Exists(Path.Combine(_h.DirOf(r.Id), NetworkSetup.FileName)));
    }

    [Fact]
    public async Task Host_mode_shares_the_host_network_and_none_has_only_loopback()
    {
        // The same namespace, not a look-alike: compare the namespace identity, since the host's
        // interface list changes under tests that run in parallel (their veths come and go).
        var host = await _h.RunToEnd(new ContainerCreateOptions { Network = "host", Command = new[] { "sh", "-c", "readlink /proc/self/ns/net; cat /proc/net/dev" } }, 20);
        Assert.Equal(0, host.ExitCode);
        Assert.Equal(new FileInfo("/proc/self/ns/net").LinkTarget, host.Stdout.Split('\n')[0].Trim());
        Assert.Contains("eth0", NetworkTestSupport.Interfaces(host.Stdout));

        var none = await _h.RunToEnd(new ContainerCreateOptions { Network = "none", Command = new[] { "sh", "-c", "cat /proc/net/dev; echo ---; ip link show lo" } }, 20);
        Assert.Equal(0, none.ExitCode);
        Assert.Equal(new[] { "lo" }, NetworkTestSupport.Interfaces(none.Stdout[..none.Stdout.IndexOf("---", StringComparison.Ordinal)]));
        Assert.Contains("LOOPBACK,UP", none.Stdout);

        // Its namespace (the monitor removes it itself: no netdown process for none) is gone with
        // the exit, network.json last; the container is still there.
        Assert.True(await ContainerHarness.Eventually(() => !File.Exists(Path.Combine(_h.DirOf(none.Id), NetworkSetup.FileName)), TimeSpan.FromSeconds(10)));
        Assert.False(File.Exists(NetworkNamespace.PathFor(none.Id)));
        Assert.DoesNotContain(NetworkNamespace.PathFor(none.Id), File.ReadAllText("/proc/self/mountinfo"));
        Assert.True(Directory.Exists(_h.DirOf(none.Id)));
    }

    [Fact]
    public async Task Container_mode_joins_another_containers_namespace()
    {
        var server = _h.Run(new ContainerCreateOptions { Name = "srv", Command = new[] { "sh", "-c", "echo hi > /tmp/i; httpd -f -p 127.0.0.1:8000 -h /tmp" } });
        var joined = await _h.RunToEnd(new ContainerCreateOptions { Network = "container:srv", Command = new[] { "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8000/i && break; sleep 0.2; done" } }, 20);
        Assert.Equal(0, joined.ExitCode);
        Assert.Equal("hi", joined.Stdout.Trim());
        await _h.Kill(server.Id);
    }

    [Fact]
    public async Task Container_mode_joins_a_none_containers_own_namespace()
    {
        // -Network none on the built-in runtime: the namespace is the container's own (no
        // persistent one); another container joins it through its PID 1.
        var server = _h.Run(new ContainerCreateOptions { Name = "lonely", Network = "none", Command = new[] { "sh", "-c", "echo hi > /tmp/i; httpd -f -p 127.0.0.1:8000 -h /tmp" } });
        Assert.False(File.Exists(NetworkNamespace.PathFor(server.Id)));
        var joined = await _h.RunToEnd(new ContainerCreateOptions { Network = "container:lonely", Command = new[] { "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8000/i && break; sleep 0.2; done; cat /proc/net/dev" } }, 20);
        Assert.Equal(0, joined.ExitCode);
        Assert.StartsWith("hi", joined.Stdout.Trim());
        Assert.Equal(new[] { "lo" }, NetworkTestSupport.Interfaces(joined.Stdout[joined.Stdout.IndexOf("Inter", StringComparison.Ordinal)..]));
        if (Support.Tool.Find("runc") is not null)
        {
            var ex = Assert.ThrowsAny<Engine.Errors.EngineException>(() => _h.Run(new ContainerCreateOptions { Network = "container:lonely", Runtime = "runc", Command = new[] { "true" } }));
            Assert.Contains("not persistent", ex.Message);
        }
        await _h.Kill(server.Id);
    }

    [Fact]
    public async Task Stats_count_the_bytes_the_container_sends_and_receives_on_its_network()
    {
        var c = _h.Run(new ContainerCreateOptions { Command = new[] { "sh", "-c", "mkdir -p /www && dd if=/dev/zero of=/www/index.html bs=1k count=2048 2>/dev/null && exec httpd -f -p 80 -h /www" } });
        var address = _h.Containers.Get(c.Id).IPAddress!;
        var before = _h.Containers.GetStats(c.Id);
        var body = await NetworkTestSupport.Fetch(address, 80);
        Assert.Equal(2048 * 1024, body?.Length);
        var after = _h.Containers.GetStats(c.Id);
        Assert.InRange(after.NetworkTxBytes - before.NetworkTxBytes, 2048 * 1024, 4096 * 1024);
        Assert.True(after.NetworkRxBytes > before.NetworkRxBytes);
    }
}
