using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.IO;

/// <summary>The socket calls of <see cref="UnixSocket"/> (x86_64/aarch64 Linux values).</summary>
internal static unsafe partial class UnixSocketNative
{
    private const string Libc = "libc";

    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SHUT_RDWR = 2, MSG_NOSIGNAL = 0x4000;
    public const int EINTR = 4, ECONNABORTED = 103;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int bind(int fd, byte[] address, int length);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int accept4(int fd, IntPtr address, IntPtr length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint count, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int shutdown(int fd, int how);
}
