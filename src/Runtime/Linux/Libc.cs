using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Linux;

/// <summary>
/// The libc entry points behind <see cref="LinuxSyscalls"/>: source-generated LibraryImports
/// (no runtime marshalling stubs, so NativeAOT-safe). The struct layouts are checked against
/// the C headers by a unit test.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Name = "libc";

    [StructLayout(LayoutKind.Sequential)]
    internal struct Rlimit { public ulong rlim_cur; public ulong rlim_max; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapUserHeader { public uint version; public int pid; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapUserData { public uint effective; public uint permitted; public uint inheritable; }

    /// <summary>struct statfs on 64-bit Linux (x86_64 and arm64 share it): 120 bytes, f_flags at 88.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Statfs
    {
        public long f_type, f_bsize;
        public ulong f_blocks, f_bfree, f_bavail, f_files, f_ffree;
        public int f_fsid0, f_fsid1;
        public long f_namelen, f_frsize, f_flags;
        public long f_spare0, f_spare1, f_spare2, f_spare3;
    }

    [LibraryImport(Name, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string? source, string target, string? fstype, nuint flags, string? data);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chdir(string path);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchdir(int fd);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chroot(string path);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lchown(string path, uint owner, uint group);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int symlink(string target, string linkpath);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlink(string path);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    /// <summary>ioctl with a pointer argument (SIOCGIFFLAGS/SIOCSIFFLAGS on a struct ifreq).</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, byte* arg);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint read(int fd, byte* buf, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint write(int fd, byte* buf, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sethostname(byte* name, nuint len);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setrlimit(int resource, Rlimit* rlim);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setresuid(uint ruid, uint euid, uint suid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setresgid(uint rgid, uint egid, uint sgid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setgroups(nuint size, uint* list);

    [LibraryImport(Name)]
    internal static partial uint umask(uint mask);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int stat(string path, Tmds.Linux.stat* buf);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lstat(string path, Tmds.Linux.stat* buf);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint readlink(string path, byte* buf, nuint size);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statfs(string path, Statfs* buf);

    /// <summary>syscall(2) with two pointer-sized arguments (variadic in C; x86_64 and arm64 Linux pass them in registers alike).</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint syscall(nint number, nint arg1, nint arg2);
}
