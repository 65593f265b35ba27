using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// Reads one line from a pipe with a timeout, on the calling thread (poll, then read): no
/// thread-pool work item to wait for. A blocking wait on an async read needs a second pool
/// thread to complete it, and on a busy pool (two cores: two threads before it grows) that
/// wait was seen to last ~150 ms on a container start.
/// </summary>
public static class PipeLineReader
{
    /// <summary>The line without its newline; null at end of file before any byte.</summary>
    /// <exception cref="TimeoutException">No full line within <paramref name="timeout"/>.</exception>
    public static unsafe string? ReadLine(FileStream pipe, TimeSpan timeout)
    {
        var fd = (int)pipe.SafeFileHandle.DangerousGetHandle();
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var line = new List<byte>(256);
        var one = new byte[1];
        while (true)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0) throw new TimeoutException();
            var p = new SpawnNative.PollFd { fd = fd, events = SpawnNative.POLLIN };
            var ready = SpawnNative.poll(&p, 1, (int)Math.Min(left, int.MaxValue));
            if (ready == 0) throw new TimeoutException();
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == 4) continue; // EINTR
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
            // Byte by byte: nothing after the line is consumed (the stream may carry more).
            if (pipe.Read(one, 0, 1) == 0) return line.Count == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
            if (one[0] == (byte)'\n') return Encoding.UTF8.GetString(line.ToArray());
            line.Add(one[0]);
        }
    }
}
