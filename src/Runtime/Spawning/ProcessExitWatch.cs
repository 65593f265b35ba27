using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// Waits for any process (not only a child) to exit, without polling its /proc entry: a
/// pidfd (pidfd_open(2), Linux 5.3+) becomes readable when the process exits, zombie or not.
/// </summary>
public sealed class ProcessExitWatch : IDisposable
{
    private int _fd;

    private ProcessExitWatch(int fd) => _fd = fd;

    /// <summary>
    /// A watch on <paramref name="pid"/>; null when the process is already gone (ESRCH) or the
    /// kernel has no pidfds (the caller polls instead). Open it, then check that the PID is
    /// still the process meant: a watch opened on a recycled PID watches the newcomer.
    /// </summary>
    public static ProcessExitWatch? TryOpen(int pid)
    {
        if (pid <= 0) return null;
        var fd = SpawnNative.PidfdOpen(pid);
        return fd < 0 ? null : new ProcessExitWatch(fd);
    }

    /// <summary>Blocks until the process has exited (true) or <paramref name="timeout"/> passed (false).</summary>
    public unsafe bool Wait(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var left = (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
            var p = new SpawnNative.PollFd { fd = _fd, events = SpawnNative.POLLIN };
            var n = SpawnNative.poll(&p, 1, left);
            if (n > 0) return true;
            if (n == 0) return false;
            if (Marshal.GetLastPInvokeError() != 4) return true; // not EINTR: treat as gone rather than spin
        }
    }

    /// <summary>Waits in slices of 100 ms on a pool thread, so <paramref name="cancellationToken"/> is honoured.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds)));
            if (await Task.Run(() => Wait(slice), cancellationToken).ConfigureAwait(false)) return true;
            if (DateTime.UtcNow >= deadline) return false;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0) SpawnNative.close(_fd);
        _fd = -1;
    }
}
