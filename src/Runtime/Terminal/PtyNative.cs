using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>libc pseudo-terminal and terminal-ioctl calls.</summary>
internal static unsafe partial class PtyNative
{
    private const string Libc = "libc";

    public const int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    public const ulong TIOCSWINSZ = 0x5414, TIOCGWINSZ = 0x5413, TIOCSCTTY = 0x540E;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int ptsname_r(int fd, byte* buf, nuint buflen);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, WinSize* size);

    [LibraryImport(Libc, SetLastError = true, EntryPoint = "ioctl")]
    public static partial int ioctl_int(int fd, ulong request, int arg);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int setsid();
}
