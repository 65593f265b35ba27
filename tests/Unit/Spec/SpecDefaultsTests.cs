using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class SpecDefaultsTests
{
    [Fact]
    public void Mounts_are_Dockers()
    {
        var mounts = SpecDefaults.Mounts().Select(m => $"{m.Destination} {m.Type} {m.Source} {string.Join(',', m.Options!)}");
        Assert.Equal(new[]
        {
            "/proc proc proc nosuid,noexec,nodev",
            "/dev tmpfs tmpfs nosuid,strictatime,mode=755,size=65536k",
            "/dev/pts devpts devpts nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5",
            "/sys sysfs sysfs nosuid,noexec,nodev,ro",
            "/sys/fs/cgroup cgroup cgroup ro,nosuid,noexec,nodev",
            "/dev/mqueue mqueue mqueue nosuid,noexec,nodev",
            "/dev/shm tmpfs shm nosuid,noexec,nodev,mode=1777,size=65536k",
        }, mounts);
    }

    [Fact]
    public void Masked_and_readonly_paths_are_Dockers()
    {
        Assert.Equal(new[]
        {
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
        }, SpecDefaults.MaskedPaths);
        Assert.Equal(new[] { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" }, SpecDefaults.ReadonlyPaths);
    }

    [Fact]
    public void Device_rules_deny_all_then_allow_the_standard_devices_and_deny_fuse()
    {
        var rules = SpecDefaults.DeviceCgroupRules()
            .Select(r => $"{(r.Allow ? "allow" : "deny")} {r.Type ?? "a"} {r.Major?.ToString() ?? "*"}:{r.Minor?.ToString() ?? "*"} {r.Access}");
        Assert.Equal(new[]
        {
            "deny a *:* rwm", "allow c 1:5 rwm", "allow c 1:3 rwm", "allow c 1:9 rwm", "allow c 1:8 rwm",
            "allow c 5:0 rwm", "allow c 5:1 rwm", "deny c 10:229 rwm",
        }, rules);
        Assert.Contains(SpecDefaults.RuntimeImplicitDeviceRules(), r => r is { Type: "c", Major: 136, Minor: null, Access: "rwm" });
    }

    [Fact]
    public void Standard_devices_and_namespaces()
    {
        Assert.Equal(new[] { "/dev/null 1:3", "/dev/zero 1:5", "/dev/full 1:7", "/dev/random 1:8", "/dev/urandom 1:9", "/dev/tty 5:0" },
            SpecDefaults.Devices().Select(d => $"{d.Path} {d.Major}:{d.Minor}"));
        Assert.All(SpecDefaults.Devices(), d => Assert.Equal((438u, 0u, 0u, "c"), (d.FileMode!.Value, d.Uid!.Value, d.Gid!.Value, d.Type)));
        Assert.Equal(new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" }, SpecDefaults.Namespaces().Select(n => n.Type));
        Assert.Contains(SpecDefaults.DevSymlinks, l => l.Key == "/dev/ptmx" && l.Value == "pts/ptmx");
    }

    [Fact]
    public void Factories_hand_out_fresh_objects()
    {
        SpecDefaults.Mounts()[0].Options!.Add("changed");
        Assert.DoesNotContain("changed", SpecDefaults.Mounts()[0].Options!);
    }
}
