using System.Text;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Interop;

/// <summary>
/// Safe wrappers over the file-system syscalls the store and the layer code need and the
/// BCL lacks (device nodes, numeric ownership of links, xattrs, lutimes). Failures throw
/// <see cref="SyscallException"/> naming the call and path.
/// </summary>
public static unsafe class FileSystem
{
    public static void MakeNode(string path, uint mode, ulong device)
    {
        if (NativeMethods.mknod(path, mode, device) != 0) throw new SyscallException("mknod", path, Errno.Last);
    }

    /// <summary>makedev(3) as glibc encodes it.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static void LChown(string path, int uid, int gid)
    {
        if (NativeMethods.lchown(path, uid, gid) != 0) throw new SyscallException("lchown", path, Errno.Last);
    }

    /// <summary>chmod including setuid/setgid/sticky bits (File.SetUnixFileMode drops none, but works on fds we don't hold).</summary>
    public static void Chmod(string path, uint mode)
    {
        if (NativeMethods.chmod(path, mode) != 0) throw new SyscallException("chmod", path, Errno.Last);
    }

    public static void HardLink(string existing, string newPath)
    {
        if (NativeMethods.link(existing, newPath) != 0) throw new SyscallException("link", newPath, Errno.Last, $"to {existing}");
    }

    /// <summary>
    /// Gives the file open as <paramref name="fd"/> the new name <paramref name="newPath"/> (never
    /// followed if it is a symlink): no path names the link's target, so it is exactly the file
    /// the caller holds. Returns 0, or the errno (EXDEV across file systems, EMLINK, ...).
    /// </summary>
    public static int TryLinkOpened(int fd, string newPath) =>
        NativeMethods.linkat(NativeMethods.AT_FDCWD, Fd.PathOf(fd), NativeMethods.AT_FDCWD, newPath, NativeMethods.AT_SYMLINK_FOLLOW) == 0 ? 0 : Errno.Last;

    public static void SymLink(string target, string linkPath)
    {
        if (NativeMethods.symlink(target, linkPath) != 0) throw new SyscallException("symlink", linkPath, Errno.Last);
    }

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (NativeMethods.lsetxattr(path, name, p, (nuint)value.Length, 0) != 0)
                throw new SyscallException("lsetxattr", path, Errno.Last, name);
        }
    }

    /// <summary>Reads an xattr of the path itself (not a symlink target); null when absent.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        var size = NativeMethods.lgetxattr(path, name, null, 0);
        if (size < 0)
        {
            var e = Errno.Last;
            if (e == Errno.ENODATA || e == Errno.EOPNOTSUPP) return null;
            throw new SyscallException("lgetxattr", path, e, name);
        }
        var buf = new byte[size];
        fixed (byte* p = buf)
        {
            size = NativeMethods.lgetxattr(path, name, p, (nuint)buf.Length);
            if (size < 0) throw new SyscallException("lgetxattr", path, Errno.Last, name);
        }
        return buf.AsSpan(0, (int)size).ToArray();
    }

    public static IReadOnlyList<string> ListXattrs(string path)
    {
        var size = NativeMethods.llistxattr(path, null, 0);
        if (size < 0)
        {
            var e = Errno.Last;
            if (e == Errno.EOPNOTSUPP) return Array.Empty<string>();
            throw new SyscallException("llistxattr", path, e);
        }
        if (size == 0) return Array.Empty<string>();
        var buf = new byte[size];
        fixed (byte* p = buf)
        {
            size = NativeMethods.llistxattr(path, p, (nuint)buf.Length);
            if (size < 0) throw new SyscallException("llistxattr", path, Errno.Last);
        }
        return Encoding.UTF8.GetString(buf, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Sets atime/mtime of the path without following a final symlink.</summary>
    public static void SetTimes(string path, DateTimeOffset modified)
    {
        var ticks = modified.ToUnixTimeMilliseconds();
        var ts = stackalloc NativeMethods.Timespec[2];
        ts[0].tv_sec = ts[1].tv_sec = Math.DivRem(ticks, 1000, out var ms);
        ts[0].tv_nsec = ts[1].tv_nsec = ms * 1_000_000;
        if (ts[0].tv_nsec < 0) { ts[0].tv_sec--; ts[1].tv_sec--; ts[0].tv_nsec += 1_000_000_000; ts[1].tv_nsec += 1_000_000_000; }
        if (NativeMethods.utimensat(NativeMethods.AT_FDCWD, path, ts, NativeMethods.AT_SYMLINK_NOFOLLOW) != 0)
            throw new SyscallException("utimensat", path, Errno.Last);
    }

    /// <summary>fsync of an open file stream's descriptor (durability before a rename).</summary>
    public static void Fsync(FileStream stream)
    {
        stream.Flush(flushToDisk: true);
    }

    /// <summary>fsync of a directory, so a rename inside it survives a crash.</summary>
    public static void FsyncDirectory(string dir)
    {
        var fd = NativeMethods.open(dir, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_CLOEXEC, 0);
        if (fd < 0) return; // best effort: durability only, never correctness
        NativeMethods.fsync(fd);
        NativeMethods.close(fd);
    }

    /// <summary>
    /// lstat(2): the status of the path itself, never of a symlink's target. Returns false when
    /// the path does not exist (ENOENT, or ENOTDIR because a parent is not a directory).
    /// </summary>
    public static bool TryLStat(string path, out FileStatus status)
    {
        Tmds.Linux.stat st;
        if (NativeMethods.lstat(path, &st) != 0)
        {
            var e = Errno.Last;
            status = default;
            if (e == Errno.ENOENT || e == Errno.ENOTDIR) return false;
            throw new SyscallException("lstat", path, e);
        }
        var modified = DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec)
            .AddTicks((long)st.st_mtim.tv_nsec / 100);
        status = new FileStatus((ushort)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_dev, st.st_ino,
            st.st_nlink, st.st_rdev, modified);
        return true;
    }

    /// <summary>lstat(2); throws <see cref="SyscallException"/> (ENOENT included) when it fails.</summary>
    public static FileStatus LStat(string path)
    {
        if (TryLStat(path, out var status)) return status;
        throw new SyscallException("lstat", path, Errno.ENOENT);
    }

    /// <summary>mkdir(2) with an exact mode (the process umask still applies; chmod afterwards for exact bits).</summary>
    public static void MakeDirectory(string path, uint mode)
    {
        if (NativeMethods.mkdir(path, mode) != 0) throw new SyscallException("mkdir", path, Errno.Last);
    }

    public static void Unlink(string path)
    {
        if (NativeMethods.unlink(path) != 0) throw new SyscallException("unlink", path, Errno.Last);
    }

    public static void RemoveDirectory(string path)
    {
        if (NativeMethods.rmdir(path) != 0) throw new SyscallException("rmdir", path, Errno.Last);
    }

    /// <summary>
    /// rm -rf without following symlinks: a symlink (to a directory or not) is unlinked, never
    /// descended into, so removing a tree planted by an untrusted layer cannot reach outside it.
    /// A missing path is not an error.
    /// </summary>
    public static void RemoveAll(string path)
    {
        if (!TryLStat(path, out var status)) return;
        if (status.IsDirectory)
        {
            // Materialise the listing first: deleting while enumerating is unspecified.
            foreach (var child in Directory.GetFileSystemEntries(path)) RemoveAll(child);
            RemoveDirectory(path);
        }
        else
        {
            Unlink(path);
        }
    }
}
