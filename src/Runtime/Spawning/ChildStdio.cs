using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// The standard streams of a process started inside a container (its init, or an exec): a
/// pseudo-terminal whose slave is all three, or three pipes — stdin from a pipe when input is
/// kept open, else /dev/null. With a <see cref="ConsoleSocket"/> the terminal is made by the
/// child inside the container instead: its stdio is /dev/null until then, and the master comes
/// back on the socket (the built-in runtime; runc and crun get a host pty, which they proxy). <see cref="Descriptors"/> go to the spawn; after it,
/// <see cref="CloseChildEnds"/> leaves only the parent's ends, which the caller takes. What is
/// not taken is closed on <see cref="Dispose"/>, so a failed launch leaks no descriptor.
/// </summary>
public sealed class ChildStdio : IDisposable
{
    private Pty? _pty;
    private ConsoleSocket? _console;
    private Pipe? _stdin, _stdout, _stderr;
    private int _devNull = -1;

    private ChildStdio()
    {
    }

    /// <summary>The child's fds 0, 1 and 2.</summary>
    public IReadOnlyList<(int Target, int Source)> Descriptors { get; private set; } = Array.Empty<(int, int)>();

    /// <summary>With a console socket: the child's end, to be given to it as the fd it expects.</summary>
    public int ConsoleChildFd => _console?.ChildFd ?? -1;

    public static ChildStdio Open(bool tty, bool openStdin, bool consoleSocket = false)
    {
        var stdio = new ChildStdio();
        try
        {
            if (tty && consoleSocket)
            {
                stdio._console = ConsoleSocket.Create();
                var devNull = stdio._devNull = OpenDevNull();
                stdio.Descriptors = new[] { (0, devNull), (1, devNull), (2, devNull) };
                return stdio;
            }
            if (tty)
            {
                stdio._pty = Pty.Open();
                stdio.Descriptors = new[] { (0, stdio._pty.Slave), (1, stdio._pty.Slave), (2, stdio._pty.Slave) };
                return stdio;
            }
            int input;
            if (openStdin)
            {
                stdio._stdin = Pipe.Create();
                input = stdio._stdin.ReadFd;
            }
            else
            {
                input = stdio._devNull = OpenDevNull();
            }
            stdio._stdout = Pipe.Create();
            stdio._stderr = Pipe.Create();
            stdio.Descriptors = new[] { (0, input), (1, stdio._stdout.WriteFd), (2, stdio._stderr.WriteFd) };
            return stdio;
        }
        catch
        {
            stdio.Dispose();
            throw;
        }
    }

    /// <summary>After the spawn: the child has its copies; keep only the parent's ends.</summary>
    public void CloseChildEnds()
    {
        _pty?.CloseSlave();
        _console?.CloseChild();
        _stdin?.CloseRead();
        _stdout?.CloseWrite();
        _stderr?.CloseWrite();
        CloseDevNull();
        Descriptors = Array.Empty<(int, int)>();
    }

    public Pty? TakePty() => Take(ref _pty);
    public ConsoleSocket? TakeConsole() => Take(ref _console);
    public Stream? TakeStdin() => Take(ref _stdin)?.TakeWriter();
    public Stream? TakeStdout() => Take(ref _stdout)?.TakeReader();
    public Stream? TakeStderr() => Take(ref _stderr)?.TakeReader();

    public void Dispose()
    {
        _pty?.Dispose();
        _console?.Dispose();
        _stdin?.Dispose();
        _stdout?.Dispose();
        _stderr?.Dispose();
        CloseDevNull();
    }

    private static T? Take<T>(ref T? field) where T : class
    {
        var taken = field;
        field = null;
        return taken;
    }

    private static int OpenDevNull()
    {
        var handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var fd = (int)handle.DangerousGetHandle();
        handle.SetHandleAsInvalid(); // ownership moves to the raw fd
        return fd;
    }

    private void CloseDevNull()
    {
        if (_devNull >= 0) SpawnNative.close(_devNull);
        _devNull = -1;
    }
}
