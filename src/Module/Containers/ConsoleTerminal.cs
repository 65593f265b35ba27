using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading.Channels;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Module.Containers;

/// <summary>
/// This process's console, taken over for an interactive TTY session (Start-Container
/// -Interactive -Tty, Enter-Container, Connect-Container): standard input switched to raw
/// mode (keys, Ctrl+C included, go to the container's terminal; its line discipline echoes),
/// the container's output written straight to standard output, and window-size changes
/// reported in <see cref="Resizes"/>. For a container without a TTY, <see cref="OpenLines"/>
/// gives typed lines instead. Disposing restores the terminal exactly as it was;
/// so does the process ending normally (a SIGTERM included) while a session is open.
/// </summary>
internal sealed class ConsoleTerminal : IDisposable
{
    private const int StdinFd = 0, StdoutFd = 1;

    private readonly Channel<(int Rows, int Cols)> _sizes =
        Channel.CreateBounded<(int, int)>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly RawTerminal? _mode;
    private readonly WindowSizeWatcher _watcher;
    private readonly EventHandler _onExit;

    private ConsoleTerminal(Func<RawTerminal>? mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Interactive container sessions need a Unix terminal.");
        _mode = mode?.Invoke();
        _onExit = (_, _) => _mode?.Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
        try
        {
            // Only the latest size matters: a slow consumer skips the sizes in between.
            _watcher = new WindowSizeWatcher(StdoutFd, size => _sizes.Writer.TryWrite(size));
        }
        catch
        {
            Restore();
            throw;
        }
        Input = mode is null ? Stream.Null : new TerminalInputStream();
        Output = Console.OpenStandardOutput();
    }

    /// <summary>The keys typed (raw bytes); end of file at once when the session has no input.</summary>
    public Stream Input { get; }

    /// <summary>Standard output, unbuffered: the container's terminal output goes here as is.</summary>
    public Stream Output { get; }

    /// <summary>The window size now (rows, columns), for the container terminal's initial size.</summary>
    public (int Rows, int Cols)? Size => _watcher.Current;

    /// <summary>Each new window size while the session lasts; completed when it ends.</summary>
    public ChannelReader<(int Rows, int Cols)> Resizes => _sizes.Reader;

    /// <summary>
    /// Whether there is a terminal to take over: the host has a raw UI (hosts without a
    /// console throw when asked for its size) and standard input and output are both a
    /// terminal (not redirected).
    /// </summary>
    public static bool IsAvailable(PSHost? host) =>
        HasRawUI(host) && !Console.IsInputRedirected && !Console.IsOutputRedirected
        && RawTerminal.IsTerminal(StdinFd) && RawTerminal.IsTerminal(StdoutFd);

    /// <summary>Whether the host has a console at all (for plain, cooked-mode standard input).</summary>
    public static bool HasRawUI(PSHost? host)
    {
        try
        {
            var raw = host?.UI?.RawUI;
            if (raw is null) return false;
            _ = raw.WindowSize; // hosts without a console throw here
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>
    /// Takes over the console: raw mode when the container reads the keys
    /// (<paramref name="input"/>), window-size watching always.
    /// </summary>
    /// <exception cref="IOException">The terminal's settings cannot be read or changed.</exception>
    public static ConsoleTerminal Open(bool input) => new(input ? () => RawTerminal.Enter(StdinFd) : null);

    /// <summary>
    /// Takes over the console's input for a container without a TTY: lines as the kernel's
    /// line discipline edits and echoes them, Ctrl+D as end of file, Ctrl+C as ever.
    /// </summary>
    /// <exception cref="IOException">The terminal's settings cannot be read or changed.</exception>
    public static ConsoleTerminal OpenLines() => new(() => RawTerminal.EnterLineMode(StdinFd));

    /// <summary>Whether standard input is a terminal this host lets us read (for <see cref="OpenLines"/>).</summary>
    public static bool HasInput(PSHost? host) => HasRawUI(host) && !Console.IsInputRedirected && RawTerminal.IsTerminal(StdinFd);

    /// <summary>The error for a session that needs a console where there is none.</summary>
    public static ErrorRecord NoConsoleError(string what, object target) => new(
        new InvalidOperationException(
            $"{what} needs a console: this host has none, or its input or output is redirected."),
        "NoConsole", ErrorCategory.InvalidOperation, target);

    public void Dispose()
    {
        _watcher.Dispose();
        _sizes.Writer.TryComplete();
        Restore();
        Input.Dispose();
    }

    private void Restore()
    {
        _mode?.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
    }
}
