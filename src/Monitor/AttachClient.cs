using System.Net.Sockets;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>One attached connection. Sends are synchronous and serialised per client.</summary>
public sealed class AttachClient
{
    private readonly Socket _socket;
    private readonly object _sendGate = new();

    public AttachClient(Socket socket, bool stdout, bool stderr)
    {
        _socket = socket;
        WantsStdout = stdout;
        WantsStderr = stderr;
        _socket.SendTimeout = 5000;
    }

    public bool WantsStdout { get; }
    public bool WantsStderr { get; }

    public bool TrySend(FrameType type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[Frame.HeaderSize];
        Frame.WriteHeader(header, type, payload.Length);
        try
        {
            lock (_sendGate)
            {
                SendAll(header);
                SendAll(payload);
            }
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0) data = data[_socket.Send(data)..];
    }

    public void Close()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }
}
