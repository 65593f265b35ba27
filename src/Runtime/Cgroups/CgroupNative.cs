using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Cgroups;

/// <summary>
/// The few libc calls the cgroup file seam needs, source-generated (NativeAOT-safe). Direct calls
/// rather than FileStream so cgroup writes are exactly one write(2) without O_CREAT and failures
/// carry the kernel's errno (EBUSY from rmdir, ENOSPC from an unpopulated cpuset, ...).
/// </summary>
internal static unsafe partial class CgroupNative
{
    private const string Libc = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_TRUNC = 0x200, O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);
}
