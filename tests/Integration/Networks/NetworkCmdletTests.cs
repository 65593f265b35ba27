using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Tests.Integration.Containers;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Networks;

/// <summary>
/// The network cmdlets as users run them: -Publish / Get-ContainerPort / the PORTS column,
/// New-/Get-/Connect-/Disconnect-/Remove-ContainerNetwork, their errors and ShouldProcess.
/// Every test removes the containers (Track) and the networks it created, also when it fails.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class NetworkCmdletTests : IClassFixture<ContainerSession>
{
    private readonly ContainerSession _s;

    public NetworkCmdletTests(ContainerSession session) => _s = session;

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task<string?> Fetch(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        for (var i = 0; i < 50; i++)
        {
            try { return await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"); }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        return null;
    }

    [Fact]
    public async Task Publish_GetContainerPort_AndThePortsColumn()
    {
        using var cleanup = _s.Track();
        var port = FreePort();
        _s.RunOk("Start-Container busybox -Name pub-web -Detach -Publish \"127.0.0.1:$($port):80\" -- sh -c 'mkdir -p /w && echo published > /w/index.html && exec httpd -f -p 80 -h /w' | Out-Null", ("port", port));
        Assert.Equal("published", (await Fetch(port))?.Trim());

        var mapping = Assert.Single(_s.RunOk("Get-ContainerPort pub-web"));
        Assert.Equal($"80/tcp -> 127.0.0.1:{port}", mapping.BaseObject.ToString());
        Assert.Equal(port, (int)mapping.Properties["HostPort"].Value);
        Assert.Empty(_s.RunOk("Get-ContainerPort pub-web 81"));
        var table = string.Join("\n", _s.RunOk("Get-Container pub-web | Out-String -Width 250").Select(o => o.ToString()));
        Assert.Contains($"127.0.0.1:{port}->80/tcp", table);

        var taken = _s.Run("Start-Container busybox -Detach -Publish \"127.0.0.1:$($port):80\" -- sleep 100", ("port", port));
        var error = Assert.Single(taken.Errors);
        Assert.StartsWith("PortAllocated", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);

        var bad = _s.Run("Start-Container busybox -Detach -Publish 99999:80 -- true");
        Assert.StartsWith("InvalidPublish", Assert.Single(bad.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Networks_CreateConnectDisconnectRemove()
    {
        using var cleanup = _s.Track();
        try
        {
            var created = Assert.Single(_s.RunOk("New-ContainerNetwork cmd-net"));
            Assert.Equal("cmd-net", created.Properties["Name"].Value);
            Assert.Empty(_s.RunOk("New-ContainerNetwork cmd-net-whatif -WhatIf"));
            Assert.DoesNotContain("cmd-net-whatif", _s.RunOk("(Get-ContainerNetwork).Name").Select(o => o.ToString()));
            Assert.Equal(new[] { "bridge", "host", "none", "cmd-net" }, _s.RunOk("(Get-ContainerNetwork).Name").Select(o => o.ToString()).Take(4));
            Assert.Equal(new[] { "cmd-net" }, _s.RunOk("(Get-ContainerNetwork cmd-*).Name").Select(o => o.ToString()));
            Assert.StartsWith("NetworkNotFound", Assert.Single(_s.Run("Get-ContainerNetwork nope").Errors).FullyQualifiedErrorId);

            _s.RunOk("Start-Container busybox -Name cmd-srv -Network cmd-net -NetworkAlias api -Detach -- sh -c 'mkdir -p /w && echo by-alias > /w/index.html && exec httpd -f -p 80 -h /w' | Out-Null");
            _s.RunOk("Start-Container busybox -Name cmd-cli -Detach -- sleep 300 | Out-Null");
            var connected = Assert.Single(_s.RunOk("Connect-ContainerNetwork cmd-net cmd-cli -PassThru"));
            Assert.Equal(new[] { "bridge", "cmd-net" }, ((IEnumerable<string>)connected.Properties["Networks"].Value).ToArray());
            var fetched = _s.RunOk("Invoke-ContainerCommand cmd-cli -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://api/index.html && exit 0; sleep 0.3; done; exit 1'");
            Assert.Equal("by-alias", Assert.Single(fetched).ToString());
            Assert.Equal(2, ((IEnumerable<string>)_s.RunOk("Get-ContainerNetwork cmd-net")[0].Properties["Containers"].Value).Count());

            var inUse = Assert.Single(_s.Run("Remove-ContainerNetwork cmd-net -Confirm:$false").Errors);
            Assert.StartsWith("NetworkInUse", inUse.FullyQualifiedErrorId);
            Assert.StartsWith("NetworkBuiltIn", Assert.Single(_s.Run("Remove-ContainerNetwork bridge -Confirm:$false").Errors).FullyQualifiedErrorId);

            _s.RunOk("Disconnect-ContainerNetwork cmd-net cmd-cli");
            Assert.Equal(new[] { "bridge" }, _s.RunOk("(Get-Container cmd-cli).Networks").Select(o => o.ToString()));
            _s.RunOk("Remove-Container cmd-srv, cmd-cli -Force");
            var removed = Assert.Single(_s.RunOk("Remove-ContainerNetwork cmd-net -Confirm:$false -PassThru"));
            Assert.Equal("cmd-net", removed.Properties["Name"].Value);
        }
        finally
        {
            _s.Run("Get-Container -All | Remove-Container -Force; Get-ContainerNetwork cmd-* | Remove-ContainerNetwork -Confirm:$false");
        }
    }
}
