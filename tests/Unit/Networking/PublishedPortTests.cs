using System.Net;
using System.Net.Sockets;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Networking;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Networking;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>
/// -Publish / -PublishAll through the portmap plugin: reachable from the host on 127.0.0.1 and on
/// a host address (the default bridge's gateway, a host address on a bridge the tests made),
/// held by the monitor, and a taken port fails the start leaving nothing behind.
/// </summary>
[Collection("Containers")]
public sealed class PublishedPortTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_published_port_answers_on_loopback_and_on_the_gateway_address()
    {
        var any = NetworkTestSupport.FreePort();
        var local = NetworkTestSupport.FreePort();
        var c = _h.Run(new ContainerCreateOptions { Publish = new[] { $"{any}:80", $"127.0.0.1:{local}:80" }, Command = NetworkTestSupport.Httpd("hello-port") });

        Assert.Equal("hello-port", (await NetworkTestSupport.Fetch("127.0.0.1", any))?.Trim());
        Assert.Equal("hello-port", (await NetworkTestSupport.Fetch("10.87.0.1", any))?.Trim());
        Assert.Equal("hello-port", (await NetworkTestSupport.Fetch("127.0.0.1", local))?.Trim());
        // Published on 127.0.0.1 only: the gateway address does not forward it.
        Assert.Null(await NetworkTestSupport.Fetch("10.87.0.1", local, attempts: 1));

        var seen = _h.Containers.Get(c.Id);
        Assert.Equal(2, seen.Ports.Count);
        Assert.Contains($"0.0.0.0:{any}->80/tcp", seen.PortsText);
        Assert.Contains($"127.0.0.1:{local}->80/tcp", seen.PortsText);

        // The monitor holds the ports while the container runs: nobody else can bind them.
        var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Throws<SocketException>(() => taken.Bind(new IPEndPoint(IPAddress.Loopback, any)));
        taken.Dispose();

        await _h.Kill(c.Id);
        await _h.Settled(c.Id, TimeSpan.FromSeconds(10));
        Assert.Empty(_h.Containers.Get(c.Id).Ports);
        // Released with the container.
        using var again = new TcpListener(IPAddress.Any, any);
        again.Start();
        again.Stop();
    }

    [Fact]
    public async Task PublishAll_maps_every_exposed_port_to_a_free_host_port()
    {
        _h.Import("web:exposed", "CMD [\"sh\"]", "EXPOSE 80 8080/tcp");
        var c = _h.Run(new ContainerCreateOptions
        {
            Image = "web:exposed",
            PublishAll = true,
            Command = new[] { "sh", "-c", "mkdir -p /a /b && echo eighty > /a/index.html && echo eighty-eighty > /b/index.html && httpd -p 8080 -h /b && exec httpd -f -p 80 -h /a" },
        });
        var ports = _h.Containers.Get(c.Id).Ports;
        Assert.Equal(new[] { 80, 8080 }, ports.Select(p => p.ContainerPort).OrderBy(p => p));
        Assert.All(ports, p => Assert.InRange(p.HostPort, 1024, 65535));
        Assert.Equal("eighty", (await NetworkTestSupport.Fetch("127.0.0.1", ports.Single(p => p.ContainerPort == 80).HostPort))?.Trim());
        Assert.Equal("eighty-eighty", (await NetworkTestSupport.Fetch("127.0.0.1", ports.Single(p => p.ContainerPort == 8080).HostPort))?.Trim());
    }

    [Fact]
    public async Task A_taken_port_fails_the_start_and_leaves_nothing_behind()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var before = NetworkTestSupport.IptablesSave();

        var created = _h.Containers.Create(new ContainerCreateOptions { Image = "busybox", Publish = new[] { "8081:81", $"{port}:80" }, Command = new[] { "sleep", "300" } });
        var ex = Assert.Throws<ConflictException>(() => _h.Containers.Start(created.Id));
        Assert.Equal("PortAllocated", ex.ErrorId);
        Assert.Contains($"{port}", ex.Message);

        var c = _h.Containers.Get(created.Id);
        Assert.False(c.Running);
        Assert.False(File.Exists(NetworkNamespace.PathFor(created.Id)));
        Assert.False(File.Exists(Path.Combine(_h.DirOf(created.Id), NetworkSetup.FileName)));
        Assert.Empty(NetworkTestSupport.NewLinesMentioning(before, NetworkTestSupport.IptablesSave(), new[] { created.Id, "8081" }));
        // The first port, bound before the failure, was released again.
        using var l = new TcpListener(IPAddress.Any, 8081);
        l.Start();
        l.Stop();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_udp_port_is_published_too()
    {
        // busybox has no UDP server: the container's own UDP counters show the datagrams arrive
        // (NoPorts: delivered to the container's address and port, where nothing listens).
        var c = _h.Run(new ContainerCreateOptions { Publish = new[] { "53/udp" }, Command = new[] { "sleep", "300" } });
        var p = Assert.Single(_h.Containers.Get(c.Id).Ports);
        Assert.Equal("udp", p.Protocol);
        Assert.Equal(53, p.ContainerPort);
        var before = UdpNoPorts(c.Pid);
        using var udp = new UdpClient();
        var arrived = await ContainerHarness.Eventually(() =>
        {
            udp.Send("ping-udp"u8.ToArray(), 8, new IPEndPoint(IPAddress.Loopback, p.HostPort));
            return UdpNoPorts(c.Pid) > before;
        }, TimeSpan.FromSeconds(10));
        Assert.True(arrived);
    }

    /// <summary>Udp NoPorts of the network namespace <paramref name="pid"/> is in (/proc/PID/net/snmp).</summary>
    private static long UdpNoPorts(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "NoPorts")], System.Globalization.CultureInfo.InvariantCulture);
    }
}
