using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Monitor;

/// <summary>
/// The attached clients of a container: output is copied to each as frames; a client that
/// cannot keep up or has gone is dropped (the log still has everything).
/// </summary>
public sealed class AttachHub
{
    private readonly object _gate = new();
    private readonly List<AttachClient> _clients = new();

    public void Add(AttachClient client)
    {
        lock (_gate) _clients.Add(client);
    }

    public void Remove(AttachClient client)
    {
        lock (_gate) _clients.Remove(client);
    }

    public int Count
    {
        get { lock (_gate) return _clients.Count; }
    }

    public void Broadcast(FrameType type, ReadOnlySpan<byte> data)
    {
        AttachClient[] clients;
        lock (_gate) clients = _clients.ToArray();
        foreach (var c in clients)
        {
            if ((type == FrameType.Stdout && !c.WantsStdout) || (type == FrameType.Stderr && !c.WantsStderr)) continue;
            if (!c.TrySend(type, data)) Remove(c);
        }
    }

    /// <summary>Sends the exit frame to everyone and closes their connections.</summary>
    public void Exit(int exitCode)
    {
        AttachClient[] clients;
        lock (_gate)
        {
            clients = _clients.ToArray();
            _clients.Clear();
        }
        foreach (var c in clients)
        {
            c.TrySend(FrameType.Exit, Frame.ExitPayload(exitCode));
            c.Close();
        }
    }
}
