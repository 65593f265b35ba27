using System.Text.Json.Nodes;
using ContainerPS.Runtime.Networking;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>
/// The DEL plan run as the engine and netdown run it — real processes spawned through
/// CniPlugin with the CNI environment and configuration on stdin — against recording shell
/// scripts in a CNI path of the test's own, so timing and failures can be set: plugins side by
/// side, host-local alone after the slowest, networks side by side, failures reported.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CniDeleteProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cps-cnidel-" + Guid.NewGuid().ToString("N")[..12]);
    private string Log => Path.Combine(_dir, "log");

    public CniDeleteProcessTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A plugin that logs its start and end (one O_APPEND write each) and keeps its stdin; in
    /// between it waits (at most 20 s, then logs "alone") until <paramref name="meet"/> plugins
    /// have started — run one after the other, they could never meet — and sleeps
    /// <paramref name="seconds"/>; <paramref name="fail"/>: a CNI error result.
    /// </summary>
    private void Plugin(string type, int meet = 0, double seconds = 0, string? fail = null)
    {
        var path = Path.Combine(_dir, type);
        var wait = meet == 0 ? "" :
            $"i=0; until [ $(grep -c '^start ' {Log}) -ge {meet} ]; do i=$((i+1)); if [ $i -gt 400 ]; then echo \"alone {type} $CNI_IFNAME\" >> {Log}; break; fi; sleep 0.05; done\n";
        var failure = fail is null ? "" : $"printf '%s' '{{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"{fail}\"}}'; exit 1\n";
        File.WriteAllText(path,
            "#!/bin/sh\n" +
            $"cat > {_dir}/{type}.$CNI_IFNAME.stdin\n" +
            $"echo \"start {type} $CNI_IFNAME $CNI_COMMAND $CNI_CONTAINERID\" >> {Log}\n" +
            wait +
            $"sleep {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" +
            $"echo \"end {type} $CNI_IFNAME\" >> {Log}\n" +
            failure);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string ConfList(string name) => new JsonObject
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = name,
        ["plugins"] = new JsonArray
        {
            new JsonObject { ["type"] = "bridge", ["bridge"] = "cpsfake0", ["ipMasq"] = true, ["ipam"] = new JsonObject { ["type"] = "host-local", ["dataDir"] = "/nonexistent" } },
            new JsonObject { ["type"] = "firewall" },
        },
    }.ToJsonString();

    private const string Result = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.91.30.2/29\"}]}";

    private List<string> Events() => File.ReadAllLines(Log).ToList();

    private JsonObject Stdin(string type, string ifName = "eth0") => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, $"{type}.{ifName}.stdin")))!;

    /// <summary>bridge and firewall wait until <paramref name="meet"/> of them have started (2 per network); the firewall then takes a little longer.</summary>
    private void StandardPlugins(string? firewallFails = null, int meet = 2)
    {
        Plugin("bridge", meet);
        Plugin("firewall", meet, seconds: 0.3, fail: firewallFails);
        Plugin("static");
        Plugin("host-local");
    }

    [Fact]
    public void Bridge_and_firewall_run_together_and_host_local_releases_after_the_slower()
    {
        StandardPlugins();
        CniNetworkList.Delete(ConfList("fake"), null, Result, new CniInvocation("cid1", null, "eth0", _dir));

        var e = Events();
        Assert.DoesNotContain(e, l => l.StartsWith("alone", StringComparison.Ordinal)); // they met: side by side
        Assert.Equal(6, e.Count);
        Assert.Equal(new[] { "start bridge eth0 DEL cid1", "start firewall eth0 DEL cid1" }, e.Take(2).Order());
        Assert.Equal(new[] { "end bridge eth0", "end firewall eth0" }, e.Skip(2).Take(2).Order());
        Assert.Equal(new[] { "start host-local eth0 DEL cid1", "end host-local eth0" }, e.Skip(4));
        Assert.Equal("static", Stdin("bridge")["ipam"]!["type"]!.GetValue<string>());
        Assert.Equal("host-local", Stdin("host-local")["ipam"]!["type"]!.GetValue<string>());
        Assert.Equal("10.91.30.2/29", Stdin("firewall")["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>());
    }

    [Fact]
    public void A_failing_firewall_is_thrown_after_the_lease_was_released()
    {
        StandardPlugins(firewallFails: "iptables: boom");
        var ex = Assert.Throws<CniException>(() => CniNetworkList.Delete(ConfList("fake"), null, Result, new CniInvocation("cid2", null, "eth0", _dir)));

        Assert.Equal("firewall", ex.Plugin);
        Assert.Contains("iptables: boom", ex.Message);
        Assert.Equal(new[] { "end firewall eth0", "start host-local eth0 DEL cid2", "end host-local eth0" }, Events().TakeLast(3));
    }

    [Fact]
    public void Without_a_static_plugin_the_plugins_delete_in_reverse_one_at_a_time()
    {
        Plugin("bridge");
        Plugin("firewall");
        CniNetworkList.Delete(ConfList("fake"), null, Result, new CniInvocation("cid3", null, "eth0", _dir));

        Assert.Equal(new[] { "start firewall eth0 DEL cid3", "end firewall eth0", "start bridge eth0 DEL cid3", "end bridge eth0" }, Events());
        Assert.Equal("host-local", Stdin("bridge")["ipam"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_container_on_two_networks_deletes_both_at_once_and_reports_each_failure()
    {
        StandardPlugins(firewallFails: "boom", meet: 4);
        var setup = new NetworkSetup
        {
            CniPath = _dir,
            Attachments =
            {
                new CniAttachment { Network = "a", IfName = "eth0", ConfList = ConfList("fake-a"), Result = Result },
                new CniAttachment { Network = "b", IfName = "eth1", ConfList = ConfList("fake-b"), Result = Result },
            },
        };
        var reported = new List<string>();

        var ok = NetworkLifecycle.Down(setup, "cid4", ex => { lock (reported) reported.Add(ex.Network + ": " + ex.Message); });

        Assert.False(ok);
        Assert.Equal(2, reported.Count);
        Assert.All(reported, r => Assert.Contains("boom", r));
        Assert.Equal(new[] { "fake-a", "fake-b" }, reported.Select(r => r[..r.IndexOf(':')]).Order());
        // Both networks' bridge and firewall met (all four started before any ended); each
        // network released its lease.
        var e = Events();
        Assert.DoesNotContain(e, l => l.StartsWith("alone", StringComparison.Ordinal));
        Assert.All(e.Take(4), line => Assert.StartsWith("start ", line));
        Assert.Equal(2, e.Count(l => l.StartsWith("end host-local", StringComparison.Ordinal)));
        Assert.All(setup.Attachments, a => Assert.Null(a.Result));
    }
}
