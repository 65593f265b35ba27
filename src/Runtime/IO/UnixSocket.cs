using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Runtime.IO;

/// <summary>
/// A unix stream socket on a raw descriptor, with blocking calls: the monitor's control socket.
/// Not System.Net.Sockets: its first socket starts an epoll thread (thread creation is on the
/// monitor's start path, ~0.5-1 ms of CPU on a busy machine) and brings code every monitor would
/// carry for its whole life. The descriptor is a <see cref="SafeFileHandle"/>, referenced around
/// every call, so a Dispose from another thread never lets a reused descriptor number be read.
/// </summary>
public sealed class UnixSocket : IDisposable
{
    private readonly SafeFileHandle _fd;

    private UnixSocket(int fd) => _fd = new SafeFileHandle(fd, ownsHandle: true);

    /// <summary>A listening socket bound at <paramref name="path"/> (which must not exist).</summary>
    /// <exception cref="IOException">socket, bind or listen failed; the message names the path.</exception>
    public static UnixSocket Listen(string path, int backlog)
    {
        var fd = UnixSocketNative.socket(UnixSocketNative.AF_UNIX, UnixSocketNative.SOCK_STREAM | UnixSocketNative.SOCK_CLOEXEC, 0);
        if (fd < 0) throw Error("socket", path);
        var socket = new UnixSocket(fd);
        try
        {
            var address = Address(path);
            if (UnixSocketNative.bind(fd, address, address.Length) != 0) throw Error("bind", path);
            if (UnixSocketNative.listen(fd, backlog) != 0) throw Error("listen", path);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next connection; null once the listener has been shut down or disposed.</summary>
    public UnixSocket? Accept()
    {
        while (true)
        {
            int fd;
            var added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                fd = UnixSocketNative.accept4((int)_fd.DangerousGetHandle(), IntPtr.Zero, IntPtr.Zero, UnixSocketNative.SOCK_CLOEXEC);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }
            if (fd >= 0) return new UnixSocket(fd);
            var errno = Marshal.GetLastPInvokeError();
            if (errno is UnixSocketNative.EINTR or UnixSocketNative.ECONNABORTED) continue;
            return null; // EINVAL after shutdown, EBADF after close: the listener is done
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; 0 at end of stream.</summary>
    /// <exception cref="IOException">The read failed.</exception>
    public int Receive(Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            var added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                unsafe
                {
                    fixed (byte* p = buffer) n = UnixSocketNative.read((int)_fd.DangerousGetHandle(), p, buffer.Length);
                }
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }
            if (n >= 0) return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == UnixSocketNative.EINTR) continue;
            throw new IOException($"read from the control socket: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>Writes all of <paramref name="data"/> (no SIGPIPE: a gone peer is an IOException).</summary>
    /// <exception cref="IOException">The peer has gone, or the send timeout expired.</exception>
    public void SendAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            nint n;
            var added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                unsafe
                {
                    fixed (byte* p = data) n = UnixSocketNative.send((int)_fd.DangerousGetHandle(), p, data.Length, UnixSocketNative.MSG_NOSIGNAL);
                }
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == UnixSocketNative.EINTR) continue;
                throw new IOException($"write to the control socket: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
            data = data[(int)n..];
        }
    }

    /// <summary>A blocked send fails after <paramref name="timeout"/> (a client that stopped reading is dropped).</summary>
    public void SetSendTimeout(TimeSpan timeout) => SetTimeout(UnixSocketNative.SO_SNDTIMEO, timeout);

    /// <summary>A blocked receive fails after <paramref name="timeout"/>; <see cref="TimeSpan.Zero"/> blocks for good again.</summary>
    public void SetReceiveTimeout(TimeSpan timeout) => SetTimeout(UnixSocketNative.SO_RCVTIMEO, timeout);

    private void SetTimeout(int option, TimeSpan timeout)
    {
        var tv = new UnixSocketNative.Timeval { Seconds = (long)timeout.TotalSeconds, Microseconds = timeout.Milliseconds * 1000L };
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            unsafe { UnixSocketNative.setsockopt((int)_fd.DangerousGetHandle(), UnixSocketNative.SOL_SOCKET, option, &tv, sizeof(UnixSocketNative.Timeval)); }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    /// <summary>Ends both directions: wakes a thread blocked in <see cref="Accept"/> or <see cref="Receive"/>.</summary>
    public void Shutdown()
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            UnixSocketNative.shutdown((int)_fd.DangerousGetHandle(), UnixSocketNative.SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    /// <summary>A stream over this socket (for frame readers); it does not own the socket.</summary>
    public Stream GetStream() => new UnixSocketStream(this);

    public void Dispose() => _fd.Dispose();

    private static byte[] Address(string path)
    {
        // struct sockaddr_un: sa_family_t (2 bytes) + sun_path[108], NUL-terminated.
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108) throw new IOException($"{path}: too long for a unix socket path (at most 107 bytes)");
        var address = new byte[2 + bytes.Length + 1];
        BitConverter.TryWriteBytes(address.AsSpan(0, 2), (ushort)UnixSocketNative.AF_UNIX);
        bytes.CopyTo(address, 2);
        return address;
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({path}): {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    private sealed class UnixSocketStream(UnixSocket socket) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => socket.Receive(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => socket.Receive(buffer);

        // Synchronous on purpose: the base class would queue the read to the thread pool (more
        // threads in a process kept small); the caller already has a thread of its own for this.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(socket.Receive(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => socket.SendAll(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => socket.SendAll(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
