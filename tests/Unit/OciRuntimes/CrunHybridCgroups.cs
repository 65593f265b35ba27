using System.Runtime.InteropServices;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.OciRuntimes;

/// <summary>
/// crun 1.8.1 refuses cgroup hybrid mode ("cgroups in hybrid mode not supported, drop all
/// controllers from cgroupv2") while the v2 hierarchy (/sys/fs/cgroup/unified) holds a
/// controller, which on this kind of machine is hugetlb. Mounting hugetlb as a v1 hierarchy
/// too lets crun run. For a crun test this does that only where needed, and undoes exactly what
/// it did on dispose (the empty /containerps parent crun left in it, the mount, the directory),
/// so the machine is left as found. An flock on /sys/fs/cgroup itself (no lock file is left behind)
/// serialises it with other test processes doing the same.
/// </summary>
public sealed class CrunHybridCgroups : IDisposable
{
    private const string Target = "/sys/fs/cgroup/hugetlb";
    private const string LockDirectory = "/sys/fs/cgroup";

    private readonly int _lock;
    private readonly bool _mounted;
    private readonly bool _createdDirectory;

    private CrunHybridCgroups(int held, bool mounted, bool createdDirectory)
    {
        _lock = held;
        _mounted = mounted;
        _createdDirectory = createdDirectory;
    }

    /// <summary>Applies the workaround for crun on a hybrid host; does nothing for other runtimes or hosts.</summary>
    public static CrunHybridCgroups For(string runtime)
    {
        if (runtime != "crun" || !IsHybrid()) return new CrunHybridCgroups(-1, false, false);
        var held = Lock(LockDirectory);
        try
        {
            if (IsCgroupV1Mount(Target)) return new CrunHybridCgroups(held, false, false);
            var created = !Directory.Exists(Target);
            if (created) Directory.CreateDirectory(Target);
            var (code, _, stderr) = Tool.Run("mount", "-t", "cgroup", "-o", "hugetlb", "cgroup", Target);
            if (code != 0)
            {
                if (created) Directory.Delete(Target);
                throw new InvalidOperationException($"mount -t cgroup -o hugetlb cgroup {Target} failed ({code}): {stderr.Trim()}");
            }
            return new CrunHybridCgroups(held, true, created);
        }
        catch
        {
            close(held);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (_mounted)
            {
                // crun created the /containerps parent in the new hierarchy; an empty cgroup goes with rmdir.
                var parent = Path.Combine(Target, "containerps");
                try { if (Directory.Exists(parent)) Directory.Delete(parent); } catch (IOException) { }
                var (code, _, stderr) = Tool.Run("umount", Target);
                if (code != 0) throw new InvalidOperationException($"umount {Target} failed ({code}): {stderr.Trim()}");
                if (_createdDirectory) Directory.Delete(Target);
            }
        }
        finally
        {
            if (_lock >= 0) close(_lock); // releases the flock
        }
    }

    private static int Lock(string directory)
    {
        const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, LOCK_EX = 2;
        var fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        while (flock(fd, LOCK_EX) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 4) continue; // EINTR
            close(fd);
            throw new IOException($"flock {directory}: errno {errno}");
        }
        return fd;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc")]
    private static extern int close(int fd);

    /// <summary>v1 controllers under a tmpfs /sys/fs/cgroup, and a v2 hierarchy at /sys/fs/cgroup/unified.</summary>
    private static bool IsHybrid() => MountType("/sys/fs/cgroup/unified") == "cgroup2" && MountType("/sys/fs/cgroup") == "tmpfs";

    private static bool IsCgroupV1Mount(string path) => MountType(path) == "cgroup";

    /// <summary>The file system type mounted at exactly <paramref name="path"/> (the last such mount), or null.</summary>
    public static string? MountType(string path)
    {
        string? type = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 0 || dash + 1 >= fields.Length) continue;
            if (fields[4] == path) type = fields[dash + 1];
        }
        return type;
    }
}
