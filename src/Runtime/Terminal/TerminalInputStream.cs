using ContainerPS.Runtime.IO;
using System.Runtime.InteropServices;

namespace ContainerPS.Runtime.Terminal;

/// <summary>
/// This process's standard input (file descriptor 0) as a stream whose reads can be cancelled:
/// it polls before each read, so when the container exits nothing is left blocked in read(2)
/// to steal the next line the user types at the prompt. Used for -Interactive without
/// pipeline input in a console host.
/// </summary>
/// <remarks>The terminal stays in its mode; <see cref="RawTerminal"/> switches it to raw for -Tty.</remarks>
public sealed partial class TerminalInputStream : ReadOnlyStream
{
    private const short POLLIN = 0x001, POLLHUP = 0x010, POLLERR = 0x008;
    private const int EINTR = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ready = await Task.Run(() => WaitReadable(100), CancellationToken.None).ConfigureAwait(false);
            // Checked again: keys typed just as the session ended belong to what comes next.
            cancellationToken.ThrowIfCancellationRequested();
            if (!ready) continue;
            return ReadNow(buffer.Span);
        }
    }

    private static bool WaitReadable(int timeoutMs)
    {
        var fd = new PollFd { Fd = 0, Events = POLLIN };
        var n = Poll(ref fd, 1, timeoutMs);
        if (n < 0) return Marshal.GetLastPInvokeError() != EINTR; // an error: let read report it
        return n > 0 && (fd.Revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    }

    private static unsafe int ReadNow(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = Read(0, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                throw new IOException($"read standard input: errno {errno}");
            }
        }
    }

}
