using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// A pseudo-terminal pair for -Tty containers and exec: the monitor keeps the master, the
/// container's PID 1 gets the slave as stdin/stdout/stderr and makes it its controlling
/// terminal (<see cref="MakeControllingTerminal"/>).
/// </summary>
public sealed unsafe class Pty : IDisposable
{
    private Pty(int master, int slave, string slavePath)
    {
        Master = master;
        Slave = slave;
        SlavePath = slavePath;
    }

    public int Master { get; private set; }
    public int Slave { get; private set; }
    public string SlavePath { get; }

    /// <summary>A master received from a container's init (<see cref="ConsoleSocket"/>): the slave lives on in there.</summary>
    public static Pty FromMaster(int master) => new(master, -1, "");

    /// <summary>
    /// Opens a new pair from /dev/ptmx as the caller sees it: on the host, the host's devpts;
    /// inside a container after pivot_root, the container's own (/dev/ptmx → pts/ptmx).
    /// </summary>
    public static Pty Open()
    {
        var master = PtyNative.posix_openpt(PtyNative.O_RDWR | PtyNative.O_NOCTTY | PtyNative.O_CLOEXEC);
        if (master < 0) throw Error("posix_openpt", "/dev/ptmx");
        try
        {
            if (PtyNative.grantpt(master) != 0) throw Error("grantpt", "/dev/ptmx");
            if (PtyNative.unlockpt(master) != 0) throw Error("unlockpt", "/dev/ptmx");
            var buf = stackalloc byte[128];
            if (PtyNative.ptsname_r(master, buf, 128) != 0) throw Error("ptsname_r", "/dev/ptmx");
            var path = Encoding.UTF8.GetString(buf, new ReadOnlySpan<byte>(buf, 128).IndexOf((byte)0));
            var slave = PtyNative.open(path, PtyNative.O_RDWR | PtyNative.O_NOCTTY | PtyNative.O_CLOEXEC, 0);
            if (slave < 0) throw Error("open", path);
            return new Pty(master, slave, path);
        }
        catch
        {
            PtyNative.close(master);
            throw;
        }
    }

    public static void Resize(int fd, int rows, int cols)
    {
        var size = new PtyNative.WinSize { Rows = (ushort)rows, Cols = (ushort)cols };
        if (PtyNative.ioctl(fd, PtyNative.TIOCSWINSZ, &size) != 0) throw Error("ioctl(TIOCSWINSZ)", $"fd {fd}");
    }

    public static (int Rows, int Cols)? GetSize(int fd)
    {
        PtyNative.WinSize size;
        if (PtyNative.ioctl(fd, PtyNative.TIOCGWINSZ, &size) != 0) return null;
        return (size.Rows, size.Cols);
    }

    /// <summary>In the child: new session, then the terminal on <paramref name="fd"/> becomes its controlling terminal.</summary>
    public static void MakeControllingTerminal(int fd)
    {
        PtyNative.setsid(); // fails harmlessly when already a session leader
        if (PtyNative.ioctl_int(fd, PtyNative.TIOCSCTTY, 0) != 0) throw Error("ioctl(TIOCSCTTY)", $"fd {fd}");
    }

    /// <summary>In the child: the slave becomes fds 0, 1 and 2 (the copies are not close-on-exec).</summary>
    public void BecomeStdio()
    {
        for (var fd = 0; fd <= 2; fd++)
            if (PtyNative.dup2(Slave, fd) < 0) throw Error("dup2", $"{SlavePath} to fd {fd}");
    }

    /// <summary>Closes the slave in the parent once the child has its own copy.</summary>
    public void CloseSlave()
    {
        if (Slave >= 0) PtyNative.close(Slave);
        Slave = -1;
    }

    public void Dispose()
    {
        CloseSlave();
        if (Master >= 0) PtyNative.close(Master);
        Master = -1;
    }

    internal static IOException Error(string call, string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
