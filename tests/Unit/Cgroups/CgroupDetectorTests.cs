using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

public sealed class CgroupDetectorTests
{
    [Fact]
    public void Hybrid_tree_lists_v1_hierarchies_and_the_unified_controllers()
    {
        using var k = FakeCgroupKernel.V1(hybrid: true);
        var info = k.Detect();

        Assert.Equal(CgroupMode.Hybrid, info.Mode);
        Assert.Equal(k.Root, info.Root);
        Assert.Equal(new[] { "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids" }, info.V1Controllers);
        Assert.Equal(Path.Combine(k.Root, "unified"), info.UnifiedMountPoint);
        Assert.Equal(new[] { "hugetlb" }, info.UnifiedControllers);
        Assert.False(info.IsV1Mounted("hugetlb"));
        Assert.Equal(Path.Combine(k.Root, "cpuacct"), info.V1MountOf("cpuacct")!.MountPoint);
        Assert.Equal(Path.Combine(k.Root, "systemd"), info.V1MountOf("name=systemd")!.MountPoint);
        Assert.Equal("name=systemd", info.V1MountOf("name=systemd")!.Key);
    }

    [Fact]
    public void Legacy_tree_without_cgroup2_is_v1_and_co_mounted_controllers_share_a_mount()
    {
        using var k = FakeCgroupKernel.V1(false, true, "cpu,cpuacct", "memory", "net_cls,net_prio");
        var info = k.Detect();

        Assert.Equal(CgroupMode.V1, info.Mode);
        Assert.Null(info.UnifiedMountPoint);
        Assert.False(info.HasUnified);
        Assert.Same(info.V1MountOf("cpu"), info.V1MountOf("cpuacct"));
        Assert.Equal("cpu,cpuacct", info.V1MountOf("cpu")!.Key);
        Assert.Equal(new[] { "cpu", "cpuacct", "memory", "net_cls", "net_prio" }, info.V1Controllers);
    }

    [Fact]
    public void Cgroup2_at_the_root_is_v2_with_its_controllers()
    {
        using var k = FakeCgroupKernel.V2("cpuset cpu io memory pids");
        var info = k.Detect();

        Assert.Equal(CgroupMode.V2, info.Mode);
        Assert.Equal(k.Root, info.UnifiedMountPoint);
        Assert.Equal(new[] { "cpuset", "cpu", "io", "memory", "pids" }, info.UnifiedControllers);
        Assert.Empty(info.V1Mounts);
    }

    [Fact]
    public void No_cgroup_mount_under_the_root_is_none()
    {
        const string mountInfo = """
            22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
            31 22 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
            40 1 0:37 / /mnt/cgroup-elsewhere rw - cgroup cgroup rw,memory
            """;
        var info = CgroupDetector.FromMountInfo("/sys/fs/cgroup", mountInfo);
        Assert.Equal(CgroupMode.None, info.Mode);
        Assert.Empty(info.V1Mounts);
    }

    [Fact]
    public void A_later_mount_over_the_root_hides_the_hierarchies_beneath_it()
    {
        const string mountInfo = """
            31 22 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            50 31 0:40 / /sys/fs/cgroup rw - tmpfs tmpfs rw
            """;
        Assert.Equal(CgroupMode.None, CgroupDetector.FromMountInfo("/sys/fs/cgroup/", mountInfo).Mode);
    }

    [Fact]
    public void Options_that_are_not_controllers_are_ignored_and_octal_escapes_decoded()
    {
        const string mountInfo = """
            31 22 0:28 / /my\040cgroups rw - tmpfs tmpfs rw
            32 31 0:29 / /my\040cgroups/cpu rw shared:5 master:1 - cgroup cgroup rw,nosuid,nodev,noexec,relatime,cpu,clone_children
            33 31 0:30 / /my\040cgroups/misc rw - cgroup cgroup rw,xattr,release_agent=/x,name=foo
            """;
        var info = CgroupDetector.FromMountInfo("/my cgroups", mountInfo);
        Assert.Equal(CgroupMode.V1, info.Mode);
        Assert.Equal("/my cgroups/cpu", info.V1MountOf("cpu")!.MountPoint);
        Assert.Equal(new[] { "cpu" }, info.V1Mounts[0].Controllers);
        Assert.Equal("foo", info.V1MountOf("name=foo")!.Name);
        Assert.Empty(info.V1MountOf("name=foo")!.Controllers);
    }

    [Fact]
    public void Detect_on_this_machine_agrees_with_the_files_the_kernel_shows()
    {
        var info = CgroupDetector.Detect();
        var expected = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? CgroupMode.V2
            : File.Exists("/sys/fs/cgroup/unified/cgroup.controllers") ? CgroupMode.Hybrid
            : Directory.Exists("/sys/fs/cgroup/memory") ? CgroupMode.V1
            : CgroupMode.None;
        Assert.Equal(expected, info.Mode);
        if (info.Mode is CgroupMode.V1 or CgroupMode.Hybrid)
        {
            Assert.Contains("memory", info.V1Controllers);
            foreach (var m in info.V1Mounts) Assert.True(Directory.Exists(m.MountPoint), m.MountPoint);
        }
        if (info.HasUnified)
        {
            var controllers = File.ReadAllText(info.UnifiedMountPoint + "/cgroup.controllers").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(controllers, info.UnifiedControllers);
            // A controller lives in one hierarchy only: never both v1 and cgroup2.
            Assert.Empty(info.UnifiedControllers.Intersect(info.V1Controllers));
        }
    }
}
