using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Cgroups;

/// <summary>
/// Device cgroup rules: the spec's list plus the runtimes' implicit one, rendered to the v1
/// kernel's lines and written to devices.deny / devices.allow in order.
/// </summary>
public sealed class DeviceRuleTests
{
    [Theory]
    [InlineData("deny a *:* rwm", "a", false)]
    [InlineData("allow a *:* rwm", "a", true)]
    [InlineData("allow c 1:5 rwm", "c 1:5 rwm", true)]
    [InlineData("allow c 136:* rwm", "c 136:* rwm", true)]
    [InlineData("allow b *:* m", "b *:* m", true)]
    [InlineData("deny c 10:229 rwm", "c 10:229 rwm", false)]
    [InlineData("allow c *:3 r", "c *:3 r", true)]
    public void Text_form_round_trips_and_renders_the_kernel_line(string text, string kernelLine, bool allow)
    {
        var rule = DeviceRule.Parse(text);
        Assert.Equal(text, rule.ToString());
        Assert.Equal(kernelLine, rule.KernelLine);
        Assert.Equal(allow, rule.Allow);
    }

    [Theory]
    [InlineData("allow x 1:3 rwm", "type")]
    [InlineData("allow c 1:3 rwx", "access")]
    [InlineData("allow c 1:3 rrw", "access")]
    [InlineData("allow c -1:3 rwm", "not a device number")]
    [InlineData("allow c 1 rwm", "is not \"allow|deny")]
    [InlineData("permit c 1:3 rwm", "is not \"allow|deny")]
    [InlineData("deny a 8:* rwm", "all devices")]
    [InlineData("deny a *:* r", "all devices")]
    public void Malformed_rules_are_invalid_arguments(string text, string message)
    {
        var e = Assert.Throws<CgroupException>(() => DeviceRule.Parse(text));
        Assert.Equal(CgroupErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Spec_parts_default_to_all_devices_and_rwm_and_access_is_put_in_kernel_order()
    {
        Assert.Equal(DeviceRule.DenyAll, DeviceRule.Create(false, null, null, null, null));
        Assert.Equal("allow c 1:3 rwm", DeviceRule.Create(true, "c", 1, 3, "mwr").ToString());
        Assert.Equal("allow c 1:3 rwm", DeviceRule.Create(true, "c", 1, 3, "").ToString());
    }

    [Fact]
    public void Dockers_spec_rules_become_deny_all_plus_runcs_allow_list()
    {
        var rules = CgroupLimits.DeviceRules(SpecDefaults.DeviceCgroupRules()).Select(r => r.ToString());
        Assert.Equal(new[]
        {
            "deny a *:* rwm",
            "allow c 1:5 rwm", "allow c 1:3 rwm", "allow c 1:9 rwm", "allow c 1:8 rwm", "allow c 5:0 rwm", "allow c 5:1 rwm",
            // deny c 10:229 takes nothing back under deny-all; repeats of the standard devices are dropped.
            "allow c *:* m", "allow b *:* m", "allow c 1:7 rwm", "allow c 136:* rwm", "allow c 5:2 rwm", "allow c 10:200 rwm",
        }, rules);
    }

    [Fact]
    public void A_spec_without_rules_still_starts_from_deny_all_as_runc_does()
    {
        var rules = CgroupLimits.DeviceRules(null);
        Assert.Equal(DeviceRule.DenyAll, rules[0]);
        Assert.DoesNotContain(rules.Skip(1), r => r.IsAll);
        Assert.Contains(rules, r => r.ToString() == "allow c 136:* rwm");

        var limits = CgroupLimits.From(new RuntimeSpec());
        Assert.Equal(rules.Select(r => r.ToString()), limits.Devices);
        Assert.Equal(rules, limits.ToResources().Devices);
    }

    [Fact]
    public void Privileged_allow_all_drops_the_redundant_allows_but_keeps_later_denies_and_what_overlaps_them()
    {
        var spec = new List<LinuxDeviceCgroup>
        {
            new() { Allow = true, Access = "rwm" },
            new() { Allow = false, Type = "b", Major = 8, Access = "rwm" },
        };
        // runc's implicit "b *:* m" comes after the deny and gives mknod of 8:* back.
        Assert.Equal(new[] { "allow a *:* rwm", "deny b 8:* rwm", "allow b *:* m" }, CgroupLimits.DeviceRules(spec).Select(r => r.ToString()));
    }

    [Fact]
    public void A_deny_that_takes_an_allow_back_is_kept_and_so_is_the_allow_after_it()
    {
        var rules = DeviceRule.Simplify(new[] { "deny a *:* rwm", "allow c 1:3 rwm", "deny c 1:3 w", "allow c 1:3 rwm", "allow c 1:3 rwm" }.Select(DeviceRule.Parse));
        Assert.Equal(new[] { "deny a *:* rwm", "allow c 1:3 rwm", "deny c 1:3 w", "allow c 1:3 rwm" }, rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Only_the_last_rule_for_all_devices_counts()
    {
        var rules = DeviceRule.Simplify(new[] { "allow c 1:3 rwm", "allow a *:* rwm", "deny c 1:5 rwm", "deny a *:* rwm", "allow c 1:9 r" }.Select(DeviceRule.Parse));
        Assert.Equal(new[] { "deny a *:* rwm", "allow c 1:9 r" }, rules.Select(r => r.ToString()));
    }

    [Fact]
    public void A_malformed_spec_rule_names_the_spec_member()
    {
        var e = Assert.Throws<RuntimeSpecException>(() => CgroupLimits.DeviceRules(new[] { new LinuxDeviceCgroup { Allow = true, Type = "x", Access = "rwm" } }));
        Assert.StartsWith("linux.resources.devices: ", e.Message);
    }

    [Fact]
    public void V1_writes_each_rule_in_order_to_deny_or_allow()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Assert.IsType<CgroupV1Manager>(CgroupManagerFactory.For("c1", k.Detect(), k));
        m.Create();
        var rules = CgroupLimits.DeviceRules(SpecDefaults.DeviceCgroupRules());

        m.Apply(new CgroupResources(Devices: rules));

        var dir = Path.Combine(k.Root, "devices/containerps/c1/");
        var writes = k.Writes.Where(w => w.Path.StartsWith(dir, StringComparison.Ordinal)).Select(w => $"{Path.GetFileName(w.Path)} {w.Value}").ToList();
        Assert.Equal("devices.deny a", writes[0]);
        Assert.Equal(rules.Skip(1).Select(r => "devices.allow " + r.KernelLine), writes.Skip(1));
    }

    [Fact]
    public void V1_without_a_devices_hierarchy_refuses_rules_but_not_an_empty_list()
    {
        using var k = FakeCgroupKernel.V1(false, true, "cpu", "memory", "cpuset");
        var m = CgroupManagerFactory.For("c1", k.Detect(), k);
        m.Create();
        m.Apply(new CgroupResources(Devices: Array.Empty<DeviceRule>()));
        var e = Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(Devices: new[] { DeviceRule.DenyAll })));
        Assert.Equal(CgroupErrorKind.NotSupported, e.Kind);
        Assert.Contains("devices", e.Message);
    }

    [Fact]
    public void The_real_v1_devices_cgroup_ends_up_with_exactly_the_allow_list()
    {
        using var cg = new RealCgroup();
        if (cg.Manager.Mode == CgroupMode.V2) return; // v2 has no devices files (DeviceFilterProgramTests)
        cg.Manager.Create();
        var rules = CgroupLimits.DeviceRules(SpecDefaults.DeviceCgroupRules());

        cg.Manager.Apply(new CgroupResources(Devices: rules));

        var list = File.ReadAllLines(cg.File("devices", "devices.list", "")).OrderBy(l => l, StringComparer.Ordinal);
        Assert.Equal(rules.Skip(1).Select(r => r.KernelLine).OrderBy(l => l, StringComparer.Ordinal), list);

        // A process in the cgroup opens /dev/zero but not /dev/kmsg (1:11, readable by root on the host).
        var (stdout, stderr) = cg.RunInside("head -c 1 /dev/kmsg >/dev/null && echo kmsg-read; head -c 3 /dev/zero | wc -c");
        Assert.Equal("3", stdout.Trim());
        Assert.Contains("Operation not permitted", stderr);
    }
}
