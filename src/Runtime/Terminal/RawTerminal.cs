using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// Puts a terminal in raw mode (cfmakeraw: no echo, no line editing, no signal keys — they
/// go to the container's terminal instead) and restores it on dispose, as docker -it does.
/// <see cref="EnterLineMode"/> is the opposite, for typing lines to a container without a
/// TTY: the kernel's line editing and echo, Enter as a newline, Ctrl+D as end of file.
/// </summary>
public sealed unsafe partial class RawTerminal : IDisposable
{
    private const int TCSANOW = 0;
    internal const int TermiosSize = 60; // struct termios on Linux (glibc): 60 bytes
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

    // struct termios (glibc, Linux): tcflag_t c_iflag, c_oflag, c_cflag, c_lflag at 0, 4, 8, 12.
    internal const int IFlag = 0, OFlag = 4, LFlag = 12;
    internal const uint ICRNL = 0x100, OPOST = 0x1, ONLCR = 0x4;
    internal const uint ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, ECHOCTL = 0x200, ECHOKE = 0x800, IEXTEN = 0x8000;

    /// <summary>Switches <paramref name="fd"/> (standard input by default) to raw mode.</summary>
    public static RawTerminal Enter(int fd = 0) => Change(fd, t => cfmakeraw(t));

    /// <summary>
    /// Switches <paramref name="fd"/> to canonical line mode with echo (a console host such
    /// as .NET's may keep it in character mode without echo while commands run).
    /// </summary>
    public static RawTerminal EnterLineMode(int fd = 0) => Change(fd, t =>
    {
        *(uint*)(t + IFlag) |= ICRNL;
        *(uint*)(t + OFlag) |= OPOST | ONLCR;
        *(uint*)(t + LFlag) |= ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    });

    private delegate void Adjust(byte* termios);

    private static RawTerminal Change(int fd, Adjust adjust)
    {
        var saved = new byte[TermiosSize];
        var changed = new byte[TermiosSize];
        fixed (byte* s = saved)
        fixed (byte* c = changed)
        {
            if (tcgetattr(fd, s) != 0) throw Error("tcgetattr", fd);
            Buffer.MemoryCopy(s, c, TermiosSize, TermiosSize);
            adjust(c);
            if (tcsetattr(fd, TCSANOW, c) != 0) throw Error("tcsetattr", fd);
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
