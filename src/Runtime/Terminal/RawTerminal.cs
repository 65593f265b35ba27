using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// Puts a terminal in raw mode (cfmakeraw: no echo, no line editing, no signal keys — they
/// go to the container's terminal instead) and restores it on dispose, as docker -it does.
/// </summary>
public sealed unsafe partial class RawTerminal : IDisposable
{
    private const int TCSANOW = 0;
    private const int TermiosSize = 60; // struct termios on Linux (glibc): 60 bytes
    private readonly int _fd;
    private readonly byte[] _saved;
    private bool _restored;

    private RawTerminal(int fd, byte[] saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>Whether <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>Switches <paramref name="fd"/> (standard input by default) to raw mode.</summary>
    public static RawTerminal Enter(int fd = 0)
    {
        var saved = new byte[TermiosSize];
        var raw = new byte[TermiosSize];
        fixed (byte* s = saved)
        fixed (byte* r = raw)
        {
            if (tcgetattr(fd, s) != 0) throw Error("tcgetattr", fd);
            Buffer.MemoryCopy(s, r, TermiosSize, TermiosSize);
            cfmakeraw(r);
            if (tcsetattr(fd, TCSANOW, r) != 0) throw Error("tcsetattr", fd);
        }
        return new RawTerminal(fd, saved);
    }

    public void Dispose()
    {
        if (_restored) return;
        _restored = true;
        fixed (byte* s = _saved) tcsetattr(_fd, TCSANOW, s);
    }

    private static IOException Error(string call, int fd)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} fd {fd}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc")]
    private static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc")]
    private static partial int isatty(int fd);
}
