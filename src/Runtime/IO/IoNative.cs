using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.IO;

/// <summary>The few libc calls the shared file helpers need (flock, open, fsync).</summary>
internal static partial class IoNative
{
    private const string Libc = "libc";

    public const int O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0x40, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public const int EINTR = 4, EAGAIN = 11;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fsync(int fd);

    /// <summary>fsync of a directory, so a rename inside it survives a crash (best effort).</summary>
    public static void FsyncDirectory(string dir)
    {
        var fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) return;
        fsync(fd);
        close(fd);
    }
}
