using System.Runtime.InteropServices;
using ContainerPS.Runtime.Linux;

namespace ContainerPS.Runtime.Networking;

/// <summary>
/// Sets lo up in the calling thread's network namespace: the loopback CNI plugin's whole ADD
/// (127.0.0.1/8 and ::1 come with the interface), done with two ioctls on a socket instead of
/// exec'ing a Go binary on every container start (issue 4).
/// </summary>
internal static unsafe class LoopbackInterface
{
    private const int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private const nuint SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;
    /// <summary>struct ifreq: char ifr_name[IFNAMSIZ = 16], then a union (40 bytes in all); ifr_flags is a short at 16.</summary>
    private const int IfreqSize = 40, FlagsOffset = 16;

    /// <exception cref="IOException">socket or ioctl failed (the message names the call and errno).</exception>
    public static void BringUp()
    {
        var fd = Libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw Failed("socket(AF_INET, SOCK_DGRAM)");
        try
        {
            var ifreq = stackalloc byte[IfreqSize];
            new Span<byte>(ifreq, IfreqSize).Clear();
            ifreq[0] = (byte)'l';
            ifreq[1] = (byte)'o';
            if (Libc.ioctl(fd, SIOCGIFFLAGS, ifreq) != 0) throw Failed("ioctl(SIOCGIFFLAGS, lo)");
            *(short*)(ifreq + FlagsOffset) |= IFF_UP;
            if (Libc.ioctl(fd, SIOCSIFFLAGS, ifreq) != 0) throw Failed("ioctl(SIOCSIFFLAGS, lo)");
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static IOException Failed(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
