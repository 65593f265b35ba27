using System.Text;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Interop;

/// <summary>
/// Descriptor-based file operations for code that must not be fooled by symlinks it does not
/// own (docker cp, volume copy-up): paths are resolved with openat2(2), optionally confined to a
/// root (RESOLVE_IN_ROOT), and metadata is changed through descriptors, never by path.
/// </summary>
public static unsafe class Fd
{
    /// <summary>
    /// openat2(2). With <paramref name="inRoot"/>, <paramref name="dirFd"/> acts as "/" for the
    /// whole lookup: ".." stops there and absolute symlinks restart there (the kernel's answer to
    /// CVE-2018-15664-style races: the check and the use are one syscall). Magic links (/proc/*/fd,
    /// /proc/*/root) are refused inside a root. Returns the descriptor or -errno.
    /// </summary>
    public static int TryOpenAt2(int dirFd, string path, int flags, bool inRoot)
    {
        var how = new NativeMethods.OpenHow
        {
            flags = (ulong)(flags | NativeMethods.O_CLOEXEC),
            resolve = inRoot ? NativeMethods.RESOLVE_IN_ROOT | NativeMethods.RESOLVE_NO_MAGICLINKS : 0,
        };
        var bytes = Encoding.UTF8.GetBytes((path.Length == 0 ? "." : path) + "\0");
        fixed (byte* p = bytes)
        {
            var fd = NativeMethods.syscall(NativeMethods.SYS_openat2, dirFd, (nint)p, (nint)(&how), sizeof(NativeMethods.OpenHow));
            return fd >= 0 ? (int)fd : -Errno.Last;
        }
    }

    /// <summary><see cref="TryOpenAt2"/> that throws <see cref="SyscallException"/>.</summary>
    public static int OpenAt2(int dirFd, string path, int flags, bool inRoot)
    {
        var fd = TryOpenAt2(dirFd, path, flags, inRoot);
        if (fd < 0) throw new SyscallException("openat2", path, -fd);
        return fd;
    }

    /// <summary>open(2) of a path through an existing descriptor (<c>/proc/self/fd/N/name</c>); -errno on failure.</summary>
    public static int TryOpen(string path, int flags, uint mode = 0)
    {
        var fd = NativeMethods.open(path, flags | NativeMethods.O_CLOEXEC, mode);
        return fd >= 0 ? fd : -Errno.Last;
    }

    public static void Close(int fd)
    {
        if (fd >= 0) NativeMethods.close(fd);
    }

    /// <summary>The path that names an open descriptor (works for O_PATH descriptors and across mount namespaces).</summary>
    public static string PathOf(int fd) => $"/proc/self/fd/{fd}";

    /// <summary>A name inside an open directory: only the last component is looked up, in that directory.</summary>
    public static string Child(int dirFd, string name) => $"/proc/self/fd/{dirFd}/{name}";

    public static FileStatus Stat(int fd, string what)
    {
        Tmds.Linux.stat st;
        if (NativeMethods.fstat(fd, &st) != 0) throw new SyscallException("fstat", what, Errno.Last);
        var modified = DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks((long)st.st_mtim.tv_nsec / 100);
        return new FileStatus((ushort)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_dev, st.st_ino, st.st_nlink, st.st_rdev, modified);
    }

    /// <summary>Owner, then mode (chown clears setuid/setgid, so the mode goes second).</summary>
    public static void SetOwnerAndMode(int fd, uint uid, uint gid, uint permissions, string what)
    {
        if (NativeMethods.fchown(fd, (int)uid, (int)gid) != 0) throw new SyscallException("fchown", what, Errno.Last);
        if (NativeMethods.fchmod(fd, permissions & 0xFFF) != 0) throw new SyscallException("fchmod", what, Errno.Last);
    }

    /// <summary>Sets the modification time (access time untouched).</summary>
    public static void SetModified(int fd, DateTimeOffset modified, string what)
    {
        var times = stackalloc NativeMethods.Timespec[2];
        times[0] = new NativeMethods.Timespec { tv_sec = 0, tv_nsec = NativeMethods.UTIME_OMIT };
        times[1] = new NativeMethods.Timespec { tv_sec = modified.ToUnixTimeSeconds(), tv_nsec = (modified.UtcTicks % TimeSpan.TicksPerSecond) * 100 };
        if (NativeMethods.futimens(fd, times) != 0) throw new SyscallException("futimens", what, Errno.Last);
    }

    /// <summary>The target of the symlink an O_PATH|O_NOFOLLOW descriptor refers to.</summary>
    public static string ReadLink(int fd, string what)
    {
        var buffer = new byte[4096];
        byte empty = 0;
        fixed (byte* b = buffer)
        {
            var n = NativeMethods.readlinkat(fd, &empty, b, (nuint)buffer.Length);
            if (n < 0) throw new SyscallException("readlinkat", what, Errno.Last);
            return Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    /// <summary>
    /// Copies every extended attribute of <paramref name="from"/> to <paramref name="to"/>, except
    /// overlayfs' own (trusted.overlay.*: they describe the source mount, not the file). A target
    /// file system without xattr support is not an error: the data matters more.
    /// </summary>
    public static void CopyXattrs(int from, int to, string what)
    {
        var size = NativeMethods.flistxattr(from, null, 0);
        if (size <= 0) return;
        var list = new byte[size];
        fixed (byte* l = list)
        {
            size = NativeMethods.flistxattr(from, l, (nuint)list.Length);
            if (size <= 0) return;
        }
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)) continue;
            var length = NativeMethods.fgetxattr(from, name, null, 0);
            if (length < 0) continue; // removed meanwhile
            var value = new byte[length];
            fixed (byte* v = value)
            {
                length = NativeMethods.fgetxattr(from, name, v, (nuint)value.Length);
                if (length < 0) continue;
                if (NativeMethods.fsetxattr(to, name, v, (nuint)length, 0) != 0)
                {
                    var e = Errno.Last;
                    if (e is Errno.EOPNOTSUPP) return;
                    throw new SyscallException("fsetxattr", what, e, name);
                }
            }
        }
    }
}
