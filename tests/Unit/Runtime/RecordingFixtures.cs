using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux.Recording;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>Requests and recorded file trees shared by the init's unit tests.</summary>
internal static class RecordingFixtures
{
    public const string Root = "/rootfs";

    public const string MountinfoV2 = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        23 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
        24 23 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:3 - cgroup2 cgroup2 rw
        """;

    /// <summary>This machine's hybrid layout (v1 controllers, v2 "unified", cpu,cpuacct joined as on many distros).</summary>
    public const string MountinfoHybrid = """
        22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    /// <summary>A recorded tree with an image rootfs (/proc, /dev, /sys, /etc) and the host files Docker binds.</summary>
    public static RecordingSyscalls NewSys(string mountinfo = MountinfoV2)
    {
        var sys = new RecordingSyscalls()
            .AddDirectory(Root + "/proc").AddDirectory(Root + "/dev").AddDirectory(Root + "/sys")
            .AddDirectory(Root + "/etc").AddDirectory(Root + "/bin")
            .AddFile(Root + "/etc/hostname").AddFile(Root + "/etc/hosts")
            .AddFile("/host/c1/resolv.conf").AddFile("/host/c1/hostname").AddFile("/host/c1/hosts")
            .AddFile("/dev/null", 0x2000 | 0x1B6);
        sys.FileContents["/proc/self/mountinfo"] = mountinfo;
        return sys;
    }

    /// <summary>The mounts Docker puts in every container's config.json (moby oci/defaults.go + the per-container binds).</summary>
    public static IReadOnlyList<MountRequest> DockerMounts =>
    [
        new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
        new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        new("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        new("/sys/fs/cgroup", "cgroup", "cgroup", ["ro", "nosuid", "noexec", "nodev"]),
        new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"]),
        new("/etc/resolv.conf", "bind", "/host/c1/resolv.conf", ["rbind", "rprivate"]),
        new("/etc/hostname", "bind", "/host/c1/hostname", ["rbind", "rprivate"]),
        new("/etc/hosts", "bind", "/host/c1/hosts", ["rbind", "rprivate"]),
    ];
}
