using System.Runtime.InteropServices;

namespace ContainerPS.Engine.Interop;

/// <summary>
/// libc calls that Tmds.LibC does not expose (*xattr, renameat2, ...). Every P/Invoke
/// of the engine lives under Interop; the rest of the engine calls the safe wrappers.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Libc = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lsetxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lgetxattr(string path, string name, byte* value, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llistxattr(string path, byte* list, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int link(string oldpath, string newpath);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkpath);

    /// <summary>With AT_SYMLINK_FOLLOW on "/proc/self/fd/N", links the very file descriptor N refers to.</summary>
    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    public const int AT_SYMLINK_FOLLOW = 0x400;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec { public long tv_sec; public long tv_nsec; }

    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    public const long UTIME_OMIT = (1L << 30) - 2;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int utimensat(int dirfd, string path, Timespec* times, int flags);

    // ---- used by Archive (layer extraction): lstat-based walks that never follow symlinks ----

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lstat(string path, Tmds.Linux.stat* buf);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);

    // ---- used by Containers export and Archive tree walks: private mounts, fd-relative opens ----

    public const int O_NONBLOCK = 0x800, O_NOFOLLOW = 0x20000;

    public const ulong MS_RDONLY = 0x1, MS_NOSUID = 0x2, MS_NODEV = 0x4, MS_REC = 0x4000, MS_PRIVATE = 0x40000;

    public const int MNT_DETACH = 0x2;

    public const int CLONE_NEWNS = 0x00020000;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fileSystemType, ulong flags, string? data);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fstat(int fd, Tmds.Linux.stat* buf);

    // ---- used by volumes and docker cp: in-root resolution (openat2) and fd-based metadata ----

    public const int O_WRONLY_CREAT_EXCL = O_WRONLY | O_CREAT | 0x80, O_PATH = 0x200000;
    public const int AT_EMPTY_PATH = 0x1000;
    public const ulong MS_BIND = 0x1000, MS_REMOUNT = 0x20;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;

    /// <summary>struct open_how of openat2(2) (linux/openat2.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow { public ulong flags; public ulong mode; public ulong resolve; }

    /// <summary>SYS_openat2: 437 on every architecture (numbered after the 2019 unification).</summary>
    public const long SYS_openat2 = 437;

    /// <summary>syscall(2) with four pointer-sized arguments (variadic in C; x86_64 and arm64 pass them in registers alike).</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial long syscall(long number, nint arg1, nint arg2, nint arg3, nint arg4);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fchown(int fd, int owner, int group);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int futimens(int fd, Timespec* times);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint readlinkat(int dirfd, byte* path, byte* buf, nuint size);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint flistxattr(int fd, byte* list, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint fgetxattr(int fd, string name, byte* value, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fsetxattr(int fd, string name, byte* value, nuint size, int flags);
}
