using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>libc pseudo-terminal and terminal-ioctl calls.</summary>
internal static unsafe partial class PtyNative
{
    private const string Libc = "libc";

    public const int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    public const ulong TIOCSWINSZ = 0x5414, TIOCGWINSZ = 0x5413, TIOCSCTTY = 0x540E;
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public const int EINTR = 4;

    /// <summary>struct msghdr (x86_64/aarch64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLen;
        public IoVec* Iov;
        public nuint IovLen;
        public void* Control;
        public nuint ControlLen;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Len;
    }

    /// <summary>struct cmsghdr followed by one int: CMSG_LEN(sizeof(int)) is 20, CMSG_SPACE 24.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FdControl
    {
        public nuint Len;
        public int Level;
        public int Type;
        public int Fd;
        private int _padding;
    }

    public static nuint FdControlLen => (nuint)(sizeof(nuint) + 2 * sizeof(int) + sizeof(int));

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

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);
}
