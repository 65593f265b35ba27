using System.Text.Json.Nodes;
using ContainerPS.Runtime.Networking;

namespace ContainerPS.Tests.Unit.Networking;

/// <summary>
/// The DEL of a configuration list: plugins side by side with the static (no-op) IPAM in place
/// of host-local, the lease released alone afterwards, and only when the bridge deleted its
/// interface. The plugins are a recording fake here; the real ones run in the network tests.
/// </summary>
public sealed class CniDeletePlanTests
{
    private const string Result = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.89.9.2/29\",\"gateway\":\"10.89.9.1\"}]}";
    private const string Runtime = "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}";

    private static readonly string ConfList = new JsonObject
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = "containerps-test",
        ["plugins"] = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "bridge", ["bridge"] = "cpstest", ["isGateway"] = true, ["ipMasq"] = true,
                ["ipam"] = new JsonObject { ["type"] = "host-local", ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "10.89.9.0/29" })), ["dataDir"] = "/run/x" },
            },
            new JsonObject { ["type"] = "portmap", ["snat"] = true, ["capabilities"] = new JsonObject { ["portMappings"] = true } },
            new JsonObject { ["type"] = "firewall", ["backend"] = "iptables" },
        },
    }.ToJsonString();

    private static JsonObject Conf(CniCall call) => (JsonObject)JsonNode.Parse(call.Config)!;

    [Fact]
    public void Every_plugin_deletes_together_with_a_no_op_ipam_and_host_local_releases_alone_afterwards()
    {
        var plan = CniDeletePlan.For(ConfList, Runtime, Result, concurrent: true);

        Assert.Equal("containerps-test", plan.Network);
        Assert.Equal(2, plan.Stages.Count);
        Assert.Equal(new[] { "firewall", "portmap", "bridge" }, plan.Stages[0].Select(c => c.Type));
        Assert.All(plan.Stages[0], c => Assert.Null(c.Requires));
        var bridge = plan.Stages[0][2];
        Assert.Equal("{\"type\":\"static\"}", Conf(bridge)["ipam"]!.ToJsonString());
        Assert.Equal("cpstest", Conf(bridge)["bridge"]!.GetValue<string>());

        var release = Assert.Single(plan.Stages[1]);
        Assert.Equal("host-local", release.Type);
        Assert.Same(bridge, release.Requires);
        // host-local gets what the bridge would have handed it: the bridge's own configuration.
        Assert.Equal("10.89.9.0/29", Conf(release)["ipam"]!["ranges"]![0]![0]!["subnet"]!.GetValue<string>());
        Assert.Equal("bridge", Conf(release)["type"]!.GetValue<string>());

        // Each plugin still gets what it needs on DEL: the list's name and version, the cached
        // result (the firewall deletes the rules of its addresses) and only its own runtimeConfig.
        foreach (var call in plan.Stages.SelectMany(s => s))
        {
            Assert.Equal("containerps-test", Conf(call)["name"]!.GetValue<string>());
            Assert.Equal("1.0.0", Conf(call)["cniVersion"]!.GetValue<string>());
            Assert.Equal("10.89.9.2/29", Conf(call)["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>());
        }
        Assert.Equal(8080, Conf(plan.Stages[0][1])["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!.GetValue<int>());
        Assert.Null(Conf(plan.Stages[0][0])["runtimeConfig"]);
    }

    [Fact]
    public void Without_the_static_plugin_the_plugins_delete_in_reverse_one_at_a_time_with_their_own_ipam()
    {
        var plan = CniDeletePlan.For(ConfList, null, Result, concurrent: false);

        Assert.Equal(new[] { "firewall", "portmap", "bridge" }, plan.Stages.Select(s => Assert.Single(s).Type));
        Assert.Equal("host-local", Conf(plan.Stages[2][0])["ipam"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_list_without_ipam_is_one_stage()
    {
        var plan = CniDeletePlan.For("{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"plugins\":[{\"type\":\"loopback\"}]}", null, null, concurrent: true);
        Assert.Equal("loopback", Assert.Single(Assert.Single(plan.Stages)).Type);
    }

    [Fact]
    public void The_plugins_run_at_the_same_time_and_the_lease_is_released_after_all_of_them_ended()
    {
        var log = new Log();
        // All three must be inside their DEL at once to get past the barrier: run one after the
        // other, the first would wait out the timeout and the test fails.
        using var together = new Barrier(3);
        CniDeletePlan.For(ConfList, Runtime, Result, concurrent: true).Run((type, _) =>
        {
            log.Add("start " + type);
            if (type != "host-local" && !together.SignalAndWait(TimeSpan.FromSeconds(20))) throw new TimeoutException(type + " ran alone");
            log.Add("end " + type);
        });

        var events = log.Events;
        Assert.Equal(8, events.Count);
        Assert.Equal("start host-local", events[^2]);
        Assert.Equal("end host-local", events[^1]);
        Assert.Equal(new[] { "bridge", "firewall", "portmap" }, events.Take(6).Where(e => e.StartsWith("end ")).Select(e => e[4..]).Order());
    }

    [Fact]
    public void A_failing_plugin_is_reported_after_the_others_ran_and_the_lease_is_still_released_last()
    {
        var log = new Log();
        var ex = Assert.Throws<CniException>(() => CniDeletePlan.For(ConfList, Runtime, Result, concurrent: true).Run((type, _) =>
        {
            log.Add("start " + type);
            if (type == "firewall")
            {
                Thread.Sleep(200); // still running when the bridge is done: the release must wait for it
                log.Add("end " + type);
                throw new CniException(type, "DEL", "containerps-test", 999, "iptables failed");
            }
            log.Add("end " + type);
        }));

        Assert.Equal("firewall", ex.Plugin);
        var events = log.Events;
        Assert.Contains("end bridge", events);
        Assert.Contains("end portmap", events);
        Assert.True(events.IndexOf("end firewall") < events.IndexOf("start host-local"), string.Join(", ", events));
        Assert.Equal("end host-local", events[^1]);
    }

    [Fact]
    public void A_bridge_that_failed_to_delete_keeps_its_lease_and_its_failure_is_thrown()
    {
        var called = new Log();
        var ex = Assert.Throws<CniException>(() => CniDeletePlan.For(ConfList, Runtime, Result, concurrent: true).Run((type, _) =>
        {
            called.Add(type);
            if (type == "bridge") throw new CniException(type, "DEL", "containerps-test", 0, "could not delete eth0");
        }));

        Assert.Equal("bridge", ex.Plugin);
        Assert.Equal(new[] { "bridge", "firewall", "portmap" }, called.Events.Order());
    }

    [Fact]
    public void The_first_failure_in_plan_order_is_the_one_thrown()
    {
        var ex = Assert.Throws<CniException>(() => CniDeletePlan.For(ConfList, Runtime, Result, concurrent: true).Run((type, _) =>
        {
            if (type == "firewall") Thread.Sleep(100); // ends last, but comes first in the plan
            if (type is "firewall" or "portmap") throw new CniException(type, "DEL", "containerps-test", 0, "failed");
        }));
        Assert.Equal("firewall", ex.Plugin);
    }

    private sealed class Log
    {
        private readonly List<string> _events = new();
        public void Add(string e) { lock (_events) _events.Add(e); }
        public List<string> Events { get { lock (_events) return _events.ToList(); } }
    }
}
