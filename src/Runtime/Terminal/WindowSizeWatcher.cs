using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// Reports the size of the terminal on a file descriptor each time it changes, for
/// forwarding window resizes to a container's pseudo-terminal (docker -it does the same on
/// SIGWINCH).
/// </summary>
/// <remarks>
/// SIGWINCH comes through <see cref="PosixSignalRegistration"/> (<see cref="PosixSignal.SIGWINCH"/>):
/// the .NET runtime's own signal handler only writes the signal number to a pipe, and its
/// signal thread calls the registered handlers — a self-pipe, so no managed code runs in
/// signal context, and other registrations (the console's own size cache) still run
/// because the handler never cancels the signal. Where registration is refused
/// (<see cref="PlatformNotSupportedException"/>), the size is polled with TIOCGWINSZ on
/// <see cref="PollInterval"/> instead. Either way the size is read with TIOCGWINSZ and
/// reported only when it differs from the last one reported, since signals coalesce and a
/// drag of the window sends many.
/// </remarks>
public sealed class WindowSizeWatcher : IDisposable
{
    /// <summary>How often the size is read when SIGWINCH cannot be registered.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly object _gate = new();
    private readonly int _fd;
    private readonly Action<(int Rows, int Cols)> _changed;
    private readonly PosixSignalRegistration? _registration;
    private readonly Timer? _poll;
    private (int Rows, int Cols)? _last;
    private bool _disposed;

    /// <summary>
    /// Starts watching the terminal on <paramref name="fd"/>; <paramref name="changed"/> is
    /// called on a thread-pool thread, one call at a time, with each new size.
    /// </summary>
    [UnsupportedOSPlatform("windows")] // SIGWINCH; this runtime layer is Linux-only anyway
    public WindowSizeWatcher(int fd, Action<(int Rows, int Cols)> changed)
    {
        _fd = fd;
        _changed = changed;
        _last = Pty.GetSize(fd);
        try
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Check());
        }
        catch (PlatformNotSupportedException)
        {
            _poll = new Timer(_ => Check(), null, PollInterval, PollInterval);
        }
    }

    /// <summary>Whether changes come from SIGWINCH (false: polled).</summary>
    public bool UsesSignal => _registration is not null;

    /// <summary>The terminal's size now (null when <c>fd</c> is not a terminal).</summary>
    public (int Rows, int Cols)? Current => Pty.GetSize(_fd);

    /// <summary>Reads the size and reports it if it changed; also callable directly (tests, a missed signal).</summary>
    public void Check()
    {
        lock (_gate)
        {
            if (_disposed) return;
            var now = Pty.GetSize(_fd);
            if (now is not { } size || now == _last) return;
            _last = now;
            _changed(size);
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _registration?.Dispose();
        _poll?.Dispose();
    }
}
