using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;
using static ContainerPS.Runtime.Linux.MountFlags;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>
/// The real <see cref="LinuxSyscalls"/> running <see cref="RootfsSetup"/> (mounts, devices,
/// pivot_root, masked and read-only paths, hostname) as root, without forking: a dedicated
/// thread unshares CLONE_FS|CLONE_NEWNS|CLONE_NEWUTS, so the new mount namespace, root,
/// cwd and hostname belong to that thread alone and vanish when it exits (the design's
/// per-thread namespace trick).
/// </summary>
public sealed class RealRootfsSetupTests
{
    /// <summary>Docker's default linux.maskedPaths.</summary>
    private static readonly string[] DockerMaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private sealed class Observed
    {
        public Exception? Failure;
        public string MountinfoInside = "";
        public string HostnameInside = "";
        public FileStat? DevNull;
        public string PtmxTarget = "";
        public string StdoutTarget = "";
        public bool HostUsrVisible;
        public int RootMkdirErrno;
        public string HostsContent = "";
        public int HostsWriteErrno;
        public string CwdInside = "";
    }

    [Fact]
    public void Rootfs_setup_and_pivot_root_change_only_the_calling_threads_view()
    {
        Assert.True(Environment.UserName == "root", "this test needs root (mount namespaces, mknod, pivot_root)");
        var dir = Directory.CreateTempSubdirectory("cps-init-real-").FullName;
        var root = Path.Combine(dir, "rootfs");
        var hostsSource = Path.Combine(dir, "hosts");
        Directory.CreateDirectory(root);
        File.WriteAllText(hostsSource, "127.0.0.1 localhost\n");
        var hostHostname = File.ReadAllText("/proc/sys/kernel/hostname");
        var mainCwd = Directory.GetCurrentDirectory();
        var seen = new Observed();
        using var pivoted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        var request = new RootfsRequest
        {
            RootfsPath = root,
            Mounts =
            [
                .. RecordingFixtures.DockerMounts.Where(m => m.Type != "bind"),
                new("/etc/hosts", "bind", hostsSource, ["rbind", "rprivate", "ro"]),
            ],
            MaskedPaths = [.. DockerMaskedPaths, "/proc/does-not-exist"],
            ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], // Docker's defaults
            Hostname = "cps-init-test",
            ReadonlyRoot = true,
        };

        var thread = new Thread(() =>
        {
            try
            {
                var sys = LinuxSyscalls.Instance;
                if (Tmds.Linux.LibC.unshare(CloneFlags.CLONE_FS | CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS) != 0)
                    throw new SyscallError("unshare", "CLONE_FS|CLONE_NEWNS|CLONE_NEWUTS", Errno.Last);
                // Before anything is mounted: nothing of this namespace may propagate back to the host.
                sys.Mount(null, "/", null, MS_REC | MS_PRIVATE, null);
                sys.Mount("tmpfs", root, "tmpfs", 0, "mode=755");
                foreach (var d in new[] { "proc", "dev", "sys", "etc", "bin" }) Directory.CreateDirectory(Path.Combine(root, d));
                File.WriteAllText(Path.Combine(root, "etc/hosts"), "");

                new RootfsSetup(sys, request).Run();

                // From here on this thread's "/" is the rootfs; read everything through our own calls.
                seen.MountinfoInside = sys.ReadFile("/proc/thread-self/mountinfo");
                seen.HostnameInside = sys.ReadFile("/proc/sys/kernel/hostname").Trim();
                seen.DevNull = sys.Lstat("/dev/null");
                seen.PtmxTarget = sys.Readlink("/dev/ptmx");
                seen.StdoutTarget = sys.Readlink("/dev/stdout");
                seen.HostUsrVisible = sys.Stat("/usr/bin") is not null;
                seen.CwdInside = sys.Readlink("/proc/thread-self/cwd");
                try { sys.Mkdir("/new-dir", 0x1ED); }
                catch (SyscallError e) { seen.RootMkdirErrno = e.Errno; }
                seen.HostsContent = sys.ReadFile("/etc/hosts");
                try { sys.WriteFile("/etc/hosts", "x"); }
                catch (SyscallError e) { seen.HostsWriteErrno = e.Errno; }
                pivoted.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
            catch (Exception e)
            {
                seen.Failure = e;
            }
            finally
            {
                pivoted.Set();
            }
        }) { IsBackground = true, Name = "cps-init-real" };

        try
        {
            thread.Start();
            Assert.True(pivoted.Wait(TimeSpan.FromSeconds(60)), "the setup thread did not finish in 60 s");

            // While that thread sits in its own root, this one still sees the host.
            var hostMountsDuring = File.ReadAllText("/proc/thread-self/mountinfo");
            var mainSeesHost = File.Exists("/usr/bin/env") && Directory.Exists(dir) && Directory.GetCurrentDirectory() == mainCwd;
            release.Set();
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the setup thread did not exit");

            Assert.Null(seen.Failure);
            Assert.True(mainSeesHost, "the main thread's root or cwd changed while the setup thread was pivoted");
            Assert.DoesNotContain(root, hostMountsDuring);

            var inside = ParseMountinfo(seen.MountinfoInside);
            Assert.Equal("proc", inside["/proc"].FsType);
            Assert.Equal("tmpfs", inside["/dev"].FsType);
            Assert.Equal("devpts", inside["/dev/pts"].FsType);
            Assert.Equal("tmpfs", inside["/dev/shm"].FsType);
            Assert.Equal("mqueue", inside["/dev/mqueue"].FsType);
            Assert.Equal("sysfs", inside["/sys"].FsType);
            Assert.StartsWith("ro,", inside["/sys"].Options);
            Assert.StartsWith("ro,", inside["/sys/fs/cgroup"].Options);
            // This machine's cgroup layout decides what lands under /sys/fs/cgroup (v2: one cgroup2 mount; v1/hybrid: one per hierarchy).
            var hostCgroups = ParseMountinfo(File.ReadAllText("/proc/self/mountinfo"));
            if (hostCgroups.TryGetValue("/sys/fs/cgroup", out var top) && top.FsType == "cgroup2")
                Assert.Equal("cgroup2", inside["/sys/fs/cgroup"].FsType);
            else
                foreach (var (point, _) in hostCgroups.Where(h => h.Value.FsType == "cgroup"))
                {
                    Assert.Equal("cgroup", inside[point].FsType);
                    Assert.StartsWith("ro,", inside[point].Options);
                }
            Assert.StartsWith("ro,", inside["/"].Options);
            Assert.StartsWith("ro,", inside["/etc/hosts"].Options);
            foreach (var p in new[] { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" }.Where(p => File.Exists(p) || Directory.Exists(p)))
                Assert.StartsWith("ro,", inside[p].Options);
            Assert.StartsWith("ro,", inside["/proc/sys"].Options);
            // Masked: /dev/null bound over files, a read-only tmpfs over directories (what exists on this kernel).
            var masked = DockerMaskedPaths.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
            Assert.Contains(masked, File.Exists);
            foreach (var p in masked)
            {
                Assert.Contains(p, inside.Keys);
                Assert.Equal("tmpfs", inside[p].FsType); // the container's /dev/null lives on its /dev tmpfs
                if (Directory.Exists(p)) Assert.StartsWith("ro,", inside[p].Options);
            }
            Assert.DoesNotContain("/proc/does-not-exist", inside.Keys);
            Assert.DoesNotContain(inside.Keys, k => k.StartsWith(root, StringComparison.Ordinal) || k.StartsWith("/usr", StringComparison.Ordinal));

            Assert.Equal("cps-init-test", seen.HostnameInside);
            Assert.Equal(hostHostname, File.ReadAllText("/proc/sys/kernel/hostname"));
            Assert.NotNull(seen.DevNull);
            Assert.Equal(FileStat.S_IFCHR, seen.DevNull.Value.Type);
            Assert.Equal(0x1B6u, seen.DevNull.Value.Permissions);
            Assert.Equal(DeviceRequest.MakeDevice(1, 3), seen.DevNull.Value.RDevice);
            Assert.Equal("pts/ptmx", seen.PtmxTarget);
            Assert.Equal("/proc/self/fd/1", seen.StdoutTarget);
            Assert.Equal("/", seen.CwdInside);
            Assert.False(seen.HostUsrVisible, "the host's /usr is visible after pivot_root");
            Assert.Equal(Errno.EROFS, seen.RootMkdirErrno);
            Assert.Equal("127.0.0.1 localhost\n", seen.HostsContent);
            Assert.Equal(Errno.EROFS, seen.HostsWriteErrno);

            // The namespace went away with the thread: nothing leaked into the host.
            Assert.DoesNotContain(dir, File.ReadAllText("/proc/self/mountinfo"));
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        }
        finally
        {
            release.Set();
            thread.Join(TimeSpan.FromSeconds(60));
            Cleanup(dir);
        }
    }

    /// <summary>Mount point → (fs type, per-mount options) from mountinfo text.</summary>
    private static Dictionary<string, (string FsType, string Options)> ParseMountinfo(string text)
    {
        var result = new Dictionary<string, (string, string)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            var dash = Array.IndexOf(f, "-");
            result[f[4]] = (f[dash + 1], f[5] + ",");
        }
        return result;
    }

    /// <summary>
    /// Removes the temp dir; should a mount have leaked into the host after all, it is
    /// detached first so the recursive delete can never walk into proc, sysfs or cgroupfs.
    /// </summary>
    private static void Cleanup(string dir)
    {
        var leaked = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(p => p.StartsWith(dir, StringComparison.Ordinal)).OrderByDescending(p => p.Length).ToList();
        foreach (var p in leaked)
        {
            try { LinuxSyscalls.Instance.Umount2(p, MNT_DETACH); } catch (SyscallError) { }
        }
        if (leaked.Count == 0) Directory.Delete(dir, recursive: true);
    }
}
