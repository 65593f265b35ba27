using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>One attached connection. Sends are synchronous and serialised per client.</summary>
public sealed class AttachClient
{
    private readonly UnixSocket _socket;
    private readonly object _sendGate = new();

    public AttachClient(UnixSocket socket, bool stdout, bool stderr)
    {
        _socket = socket;
        WantsStdout = stdout;
        WantsStderr = stderr;
        _socket.SetSendTimeout(TimeSpan.FromSeconds(5));
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
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void SendAll(ReadOnlySpan<byte> data) => _socket.SendAll(data);

    public void Close()
    {
        _socket.Shutdown();
        _socket.Dispose();
    }
}
