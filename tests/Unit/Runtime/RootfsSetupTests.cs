using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;
using ContainerPS.Runtime.Linux.Recording;
using static ContainerPS.Runtime.Linux.MountFlags;
using static ContainerPS.Tests.Unit.Runtime.RecordingFixtures;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class RootfsSetupTests
{
    [Fact]
    public void Docker_default_mounts_give_runcs_call_sequence()
    {
        var sys = NewSys();
        new RootfsSetup(sys, new RootfsRequest { RootfsPath = Root, Mounts = DockerMounts, Hostname = "web" }).Run();
        Assert.Equal(
        [
            // prepareRoot: nothing of ours may propagate to the host; the rootfs must be a mount point.
            "mount none / none MS_REC|MS_SLAVE",
            "mount none /rootfs none MS_PRIVATE",
            "mount /rootfs /rootfs bind MS_BIND|MS_REC",
            "mount proc /rootfs/proc proc MS_NOSUID|MS_NODEV|MS_NOEXEC",
            "mount tmpfs /rootfs/dev tmpfs MS_NOSUID|MS_STRICTATIME mode=0755,mode=755,size=65536k",
            "mkdir /rootfs/dev/pts 755",
            "mount devpts /rootfs/dev/pts devpts MS_NOSUID|MS_NOEXEC newinstance,ptmxmode=0666,mode=0620,gid=5",
            "mount sysfs /rootfs/sys sysfs MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC",
            "mkdir /rootfs/sys/fs 755",
            "mkdir /rootfs/sys/fs/cgroup 755",
            "mount cgroup /rootfs/sys/fs/cgroup cgroup2 MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC",
            "mkdir /rootfs/dev/mqueue 755",
            "mount mqueue /rootfs/dev/mqueue mqueue MS_NOSUID|MS_NODEV|MS_NOEXEC",
            "mkdir /rootfs/dev/shm 755",
            "mount shm /rootfs/dev/shm tmpfs MS_NOSUID|MS_NODEV|MS_NOEXEC mode=1777,size=67108864",
            "open /rootfs/etc/resolv.conf",
            "close 100",
            "mount /host/c1/resolv.conf /rootfs/etc/resolv.conf bind MS_BIND|MS_REC",
            "mount none /rootfs/etc/resolv.conf none MS_REC|MS_PRIVATE",
            "mount /host/c1/hostname /rootfs/etc/hostname bind MS_BIND|MS_REC",
            "mount none /rootfs/etc/hostname none MS_REC|MS_PRIVATE",
            "mount /host/c1/hosts /rootfs/etc/hosts bind MS_BIND|MS_REC",
            "mount none /rootfs/etc/hosts none MS_REC|MS_PRIVATE",
            // createDevices with umask 0, then ptmx and the fd links.
            "umask 0",
            "mknod /rootfs/dev/null c 1:3 0666",
            "lchown /rootfs/dev/null 0:0",
            "mknod /rootfs/dev/random c 1:8 0666",
            "lchown /rootfs/dev/random 0:0",
            "mknod /rootfs/dev/full c 1:7 0666",
            "lchown /rootfs/dev/full 0:0",
            "mknod /rootfs/dev/tty c 5:0 0666",
            "lchown /rootfs/dev/tty 0:0",
            "mknod /rootfs/dev/zero c 1:5 0666",
            "lchown /rootfs/dev/zero 0:0",
            "mknod /rootfs/dev/urandom c 1:9 0666",
            "lchown /rootfs/dev/urandom 0:0",
            "umask 22",
            "symlink /rootfs/dev/ptmx -> pts/ptmx",
            "symlink /rootfs/dev/fd -> /proc/self/fd",
            "symlink /rootfs/dev/stdin -> /proc/self/fd/0",
            "symlink /rootfs/dev/stdout -> /proc/self/fd/1",
            "symlink /rootfs/dev/stderr -> /proc/self/fd/2",
            // pivot_root(".", ".") and the lazy unmount of the old root, made rslave first.
            "chdir /rootfs",
            "open /",
            "open /rootfs",
            "fchdir /rootfs",
            "pivot_root . .",
            "fchdir /",
            "mount none . none MS_REC|MS_SLAVE",
            "umount2 . MNT_DETACH",
            "close 102",
            "close 101",
            "chdir /",
            "umask 22",
            "sethostname web",
        ], sys.Lines);
    }

    [Fact]
    public void Cgroup_v1_gets_a_tmpfs_with_one_mount_per_hierarchy_and_controller_links()
    {
        var sys = NewSys(MountinfoHybrid);
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            Mounts = [new("/sys/fs/cgroup", "cgroup", "cgroup", ["ro", "nosuid", "noexec", "nodev"])],
        }).Prepare();
        Assert.Equal(
        [
            "mkdir /rootfs/sys/fs 755",
            "mkdir /rootfs/sys/fs/cgroup 755",
            "mount tmpfs /rootfs/sys/fs/cgroup tmpfs MS_NOSUID|MS_NODEV|MS_NOEXEC mode=755",
            "mkdir /rootfs/sys/fs/cgroup/cpu,cpuacct 755",
            "mount cgroup /rootfs/sys/fs/cgroup/cpu,cpuacct cgroup MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC cpu,cpuacct",
            "mkdir /rootfs/sys/fs/cgroup/memory 755",
            "mount cgroup /rootfs/sys/fs/cgroup/memory cgroup MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC memory",
            "mkdir /rootfs/sys/fs/cgroup/systemd 755",
            "mount systemd /rootfs/sys/fs/cgroup/systemd cgroup MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC name=systemd",
            "symlink /rootfs/sys/fs/cgroup/cpu -> cpu,cpuacct",
            "symlink /rootfs/sys/fs/cgroup/cpuacct -> cpu,cpuacct",
            "mount /rootfs/sys/fs/cgroup /rootfs/sys/fs/cgroup bind MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND",
        ], sys.Lines.Where(l => l.Contains("/sys/fs")));
    }

    [Fact]
    public void Masked_and_readonly_paths_are_applied_after_the_pivot_as_runc_does()
    {
        var sys = NewSys()
            .AddFile(Root + "/proc/kcore").AddDirectory(Root + "/proc/acpi").AddDirectory(Root + "/proc/sys");
        sys.StatfsFlagsByPath["/proc/sys"] = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            MaskedPaths = ["/proc/kcore", "/proc/acpi", "/proc/not-there"],
            ReadonlyPaths = ["/proc/sys", "/proc/also-not-there"],
        }).Run();
        var afterPivot = sys.Lines.SkipWhile(l => l != "umount2 . MNT_DETACH").Skip(4).ToList();
        Assert.Equal(
        [
            "umask 22",
            // readonlyPath: bind onto itself, remount ro keeping the locked nosuid/nodev/noexec; absent paths are skipped.
            "mount /proc/sys /proc/sys none MS_BIND|MS_REC",
            "mount /proc/sys /proc/sys none MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND",
            "mount /proc/also-not-there /proc/also-not-there none MS_BIND|MS_REC",
            // maskPath: /dev/null over a file; over a directory the bind fails with ENOTDIR and a ro tmpfs goes on instead.
            "mount /dev/null /proc/kcore none MS_BIND",
            "mount /dev/null /proc/acpi none MS_BIND",
            "mount tmpfs /proc/acpi tmpfs MS_RDONLY",
            "mount /dev/null /proc/not-there none MS_BIND",
        ], afterPivot);
    }

    [Fact]
    public void Read_only_tmpfs_and_dev_are_remounted_after_the_pivot_and_read_only_binds_at_once()
    {
        var sys = NewSys().AddDirectory("/host/data");
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            Mounts =
            [
                new("/dev", "tmpfs", "tmpfs", ["nosuid", "ro", "mode=755"]),
                new("/run", "tmpfs", "tmpfs", ["ro", "nodev"]),
                new("/data", "none", "/host/data", ["bind", "ro", "nosuid"]),
            ],
            ReadonlyRoot = true,
        }).Run();
        var lines = sys.Lines;
        Assert.Contains("mount tmpfs /rootfs/dev tmpfs MS_NOSUID mode=0755,mode=755", lines);
        Assert.Contains("mount tmpfs /rootfs/run tmpfs MS_NODEV", lines);
        var bind = lines.ToList().IndexOf("mount /host/data /rootfs/data bind MS_RDONLY|MS_NOSUID|MS_BIND");
        Assert.True(bind >= 0, string.Join('\n', lines));
        Assert.Equal("mount /host/data /rootfs/data bind MS_RDONLY|MS_NOSUID|MS_REMOUNT|MS_BIND", lines[bind + 1]);
        Assert.Equal(
        [
            "mount none /dev none MS_RDONLY|MS_NOSUID|MS_REMOUNT",
            "mount none /run none MS_RDONLY|MS_NODEV|MS_REMOUNT",
            "mount none / none MS_RDONLY|MS_REMOUNT|MS_BIND",
            "umask 22",
        ], lines.SkipWhile(l => l != "chdir /").Skip(1));
    }

    [Fact]
    public void Devices_fall_back_to_bind_mounts_when_mknod_is_refused()
    {
        var sys = NewSys().AddFile("/dev/fuse", 0x2000 | 0x1B6);
        sys.Fail(c => c is MknodCall { Path: "/rootfs/dev/fuse" }, Errno.EPERM);
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            Devices = [new DeviceRequest("/dev/fuse", 'c', 10, 229), new DeviceRequest("/dev/null", 'c', 1, 3, 0x1B0, 0, 5)],
        }).Prepare();
        var lines = sys.Lines;
        Assert.Equal(
        [
            "mknod /rootfs/dev/fuse c 10:229 0666",
            "open /rootfs/dev/fuse",
            "close 100",
            "mount /dev/fuse /rootfs/dev/fuse bind MS_BIND",
        ], lines.Where(l => l.Contains("/dev/fuse") || l == "close 100"));
        // A spec device replaces the default of the same path, and is created after the defaults.
        Assert.Single(lines, l => l.StartsWith("mknod /rootfs/dev/null", StringComparison.Ordinal));
        Assert.Equal("mknod /rootfs/dev/null c 1:3 0660", lines[lines.ToList().IndexOf("lchown /rootfs/dev/null 0:5") - 1]);
        Assert.True(lines.ToList().IndexOf("mknod /rootfs/dev/urandom c 1:9 0666") < lines.ToList().IndexOf("mknod /rootfs/dev/fuse c 10:229 0666"));
    }

    [Fact]
    public void A_dev_bound_from_the_host_is_left_alone()
    {
        var sys = NewSys();
        sys.AddDirectory("/dev");
        new RootfsSetup(sys, new RootfsRequest { RootfsPath = Root, Mounts = [new("/dev", "bind", "/dev", ["rbind"])] }).Prepare();
        Assert.DoesNotContain(sys.Lines, l => l.StartsWith("mknod", StringComparison.Ordinal) || l.StartsWith("symlink", StringComparison.Ordinal));
    }

    [Fact]
    public void Proc_must_be_mounted_on_a_real_directory()
    {
        var sys = new RecordingSyscalls().AddDirectory(Root).AddSymlink(Root + "/proc", "/etc");
        var e = Assert.Throws<ContainerInitException>(() => new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            Mounts = [new("/proc", "proc", "proc", [])],
        }).Prepare());
        Assert.Equal("mounting \"proc\" to rootfs at \"/proc\": filesystem \"proc\" must be mounted on ordinary directory", e.Message);
        Assert.DoesNotContain(sys.Calls, c => c is MountCall { FsType: "proc" });
    }

    [Theory]
    [InlineData("/proc/sys", "tmpfs", "\"/rootfs/proc/sys\" cannot be mounted because it is inside /proc")]
    [InlineData("/proc", "tmpfs", "\"/rootfs/proc\" cannot be mounted because it is not of type proc")]
    [InlineData("/proc/fs", "mqueue", "\"/rootfs/proc/fs\" cannot be mounted because it is inside /proc")]
    [InlineData("/proc/sys", "sysfs", null)] // proc and sysfs are only required to land on a real directory
    [InlineData("/proc", "bind", "\"/rootfs/proc\" cannot be mounted because it is not of type proc")]
    [InlineData("/proc/cpuinfo", "bind", null)]
    public void Nothing_goes_over_or_inside_proc_but_what_lxcfs_emulates(string destination, string type, string? error)
    {
        var sys = NewSys().AddFile("/host/cpuinfo").AddDirectory("/host/dir").AddFile(Root + "/proc/cpuinfo").AddDirectory(Root + "/proc/sys");
        var source = type == "bind" ? (destination == "/proc" ? "/host/dir" : "/host/cpuinfo") : "tmpfs";
        var setup = new RootfsSetup(sys, new RootfsRequest { RootfsPath = Root, Mounts = [new(destination, type, source, [])] });
        if (error is null)
        {
            setup.Prepare();
            return;
        }
        var e = Assert.Throws<ContainerInitException>(setup.Prepare);
        Assert.EndsWith(error, e.Message);
    }

    [Fact]
    public void Mount_destinations_through_symlinks_stay_inside_the_rootfs()
    {
        var sys = NewSys()
            .AddSymlink(Root + "/etc/resolv.conf", "../../../../run/resolv.conf")
            .AddSymlink(Root + "/data", "/host/c1");
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            Mounts =
            [
                new("/etc/resolv.conf", "bind", "/host/c1/resolv.conf", ["rbind"]),
                new("/data/x", "tmpfs", "tmpfs", []),
            ],
        }).Prepare();
        var mounts = sys.Calls.OfType<MountCall>().Select(m => m.Target).ToList();
        Assert.Contains("/rootfs/run/resolv.conf", mounts);
        Assert.Contains("/rootfs/host/c1/x", mounts);
        Assert.DoesNotContain(mounts, t => t.StartsWith("/run", StringComparison.Ordinal) || t.StartsWith("/host", StringComparison.Ordinal));
    }

    [Fact]
    public void Failures_name_the_step_the_call_the_target_and_errno()
    {
        var sys = NewSys().Fail(c => c is MountCall { FsType: "proc" }, Errno.EPERM);
        var e = Assert.Throws<ContainerInitException>(() =>
            new RootfsSetup(sys, new RootfsRequest { RootfsPath = Root, Mounts = DockerMounts }).Run());
        Assert.Equal("mounting \"proc\" to rootfs at \"/proc\": mount proc on /rootfs/proc: EPERM (Operation not permitted)", e.Message);
        var inner = Assert.IsType<SyscallError>(e.InnerException);
        Assert.Equal(("mount proc on", "/rootfs/proc", Errno.EPERM), (inner.Call, inner.Target, inner.Errno));
        Assert.Equal(Errno.EPERM, e.Errno);
    }

    [Fact]
    public void The_parent_mount_is_found_by_walking_up_on_EINVAL()
    {
        var sys = NewSys().Fail(c => c is MountCall { Target: Root, Flags: MS_PRIVATE }, Errno.EINVAL, once: true);
        new RootfsSetup(sys, new RootfsRequest { RootfsPath = Root }).Prepare();
        Assert.Equal(["mount none / none MS_REC|MS_SLAVE", "mount none /rootfs none MS_PRIVATE", "mount none / none MS_PRIVATE", "mount /rootfs /rootfs bind MS_BIND|MS_REC"],
            sys.Lines.Take(4));
    }

    [Fact]
    public void Rootfs_propagation_and_sysctls_are_honoured()
    {
        var sys = NewSys();
        new RootfsSetup(sys, new RootfsRequest
        {
            RootfsPath = Root,
            RootfsPropagation = "rprivate",
            Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
        }).Run();
        Assert.Equal("mount none / none MS_REC|MS_PRIVATE", sys.Lines[0]);
        Assert.Contains("write /proc/sys/net/ipv4/ip_forward 1", sys.Lines);
        Assert.Throws<ContainerInitException>(() => new RootfsSetup(NewSys(), new RootfsRequest
        {
            RootfsPath = Root,
            Sysctl = new Dictionary<string, string> { ["kernel..x"] = "1" },
        }).Run());
    }
}
