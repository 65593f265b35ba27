using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class CapabilityTests
{
    [Fact]
    public void Default_set_is_Dockers()
    {
        Assert.Equal(new[]
        {
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
        }, SpecTestBuilder.Builder().ResolveCapabilities(null, null));
    }

    [Fact]
    public void Add_accepts_names_with_or_without_prefix_in_any_case_and_drop_removes()
    {
        var caps = SpecTestBuilder.Builder().ResolveCapabilities(new[] { "NET_ADMIN", "cap_sys_ptrace", "CAP_CHOWN" }, new[] { "net_raw", "CAP_MKNOD" });
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.Contains("CAP_SYS_PTRACE", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Single(caps, c => c == "CAP_CHOWN"); // no duplicates
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void Drop_ALL_keeps_only_the_added()
    {
        Assert.Equal(new[] { "CAP_NET_BIND_SERVICE" }, SpecTestBuilder.Builder().ResolveCapabilities(new[] { "NET_BIND_SERVICE" }, new[] { "ALL" }));
        Assert.Empty(SpecTestBuilder.Builder().ResolveCapabilities(null, new[] { "all" }));
    }

    [Fact]
    public void Add_ALL_is_what_the_caller_can_grant_minus_the_dropped()
    {
        var callerCaps = LinuxCapabilityNames.All.Where(c => c != "CAP_SYS_RESOURCE").ToList();
        var caps = SpecTestBuilder.Builder(callerCaps: callerCaps).ResolveCapabilities(new[] { "ALL" }, new[] { "SYS_ADMIN" });
        Assert.Equal(callerCaps.Count - 1, caps.Count);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", caps);
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_CHECKPOINT_RESTORE", caps);
    }

    [Fact]
    public void Adding_a_capability_the_caller_lacks_is_refused_with_its_name()
    {
        var callerCaps = LinuxCapabilityNames.All.Where(c => c != "CAP_SYS_RESOURCE").ToList();
        var ex = Assert.Throws<InvalidArgumentException>(() =>
            SpecTestBuilder.Builder(callerCaps: callerCaps).ResolveCapabilities(new[] { "SYS_RESOURCE" }, null));
        Assert.Contains("CAP_SYS_RESOURCE", ex.Message);
    }

    [Fact]
    public void Unknown_capability_is_Dockers_error()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => SpecTestBuilder.Builder().ResolveCapabilities(new[] { "FLY" }, null));
        Assert.Equal("unknown capability: \"FLY\"", ex.Message);
        Assert.Throws<InvalidArgumentException>(() => SpecTestBuilder.Builder().ResolveCapabilities(null, new[] { "CAP_NOPE" }));
    }

    [Fact]
    public void Root_gets_bounding_effective_permitted_others_only_bounding()
    {
        var caps = new[] { "CAP_KILL" };
        var root = ContainerSpecBuilder.CapabilitySets(caps, 0);
        Assert.Equal(caps, root.Bounding);
        Assert.Equal(caps, root.Effective);
        Assert.Equal(caps, root.Permitted);
        Assert.Null(root.Inheritable);
        Assert.Null(root.Ambient);
        var app = ContainerSpecBuilder.CapabilitySets(caps, 1000);
        Assert.Equal(caps, app.Bounding);
        Assert.Null(app.Effective);
        Assert.Null(app.Permitted);
    }

    [Fact]
    public void Bounding_set_is_read_from_proc_status()
    {
        var caps = LinuxCapabilityNames.ParseBoundingSet("Name:\tx\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\n")!;
        Assert.Equal(40, caps.Count);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", caps);
        Assert.Equal("CAP_CHECKPOINT_RESTORE", caps[^1]);
        Assert.NotNull(LinuxCapabilityNames.ReadCallerBoundingSet());
    }
}
