using System.Net.Sockets;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker attach: streams the container's output (and feeds <see cref="AttachStreams.Stdin"/>)
    /// until it exits — returning its exit code — or until the detach keys are typed or the
    /// token is cancelled (returning null; the container keeps running).
    /// </summary>
    public async Task<int?> AttachAsync(string nameOrId, AttachStreams streams, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        if (state.Socket is null || !ContainerStateRules.CanStop(state.Status) && state.Status != ContainerStatus.Created)
            throw new ConflictException("ContainerNotRunning", $"You cannot attach to a stopped container, start it first", record.Name, ErrorKind.FailedPrecondition);

        using var socket = await MonitorClient.ConnectAsync(state.Socket, cancellationToken).ConfigureAwait(false);
        await MonitorClient.SendRequestAsync(socket, new MonitorRequest { Op = "attach", Stdin = streams.Stdin is not null }, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var detached = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (streams.Size is { } size && record.Options.Tty)
            await Frame.WriteAsync(stream, FrameType.Resize, Frame.ResizePayload(size.Rows, size.Cols), cancellationToken).ConfigureAwait(false);
        var input = streams.Stdin is null ? Task.CompletedTask : Task.Run(() => PumpStdinAsync(stream, streams, detached), CancellationToken.None);

        try
        {
            while (await Frame.ReadAsync(stream, detached.Token).ConfigureAwait(false) is { } frame)
            {
                switch (frame.Type)
                {
                    case FrameType.Stdout:
                        streams.Output("stdout", frame.Payload);
                        break;
                    case FrameType.Stderr:
                        streams.Output("stderr", frame.Payload);
                        break;
                    case FrameType.Exit:
                        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Payload);
                }
            }
            return await WaitAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // detach keys
        }
        finally
        {
            detached.Cancel();
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
            try { await input.ConfigureAwait(false); } catch (Exception) { }
        }
    }

    private static async Task PumpStdinAsync(Stream socket, AttachStreams streams, CancellationTokenSource detached)
    {
        var buffer = new byte[4096];
        var keys = streams.DetachKeys ?? Array.Empty<byte>();
        var matched = 0;
        try
        {
            int n;
            while ((n = await streams.Stdin!.ReadAsync(buffer, detached.Token).ConfigureAwait(false)) > 0)
            {
                if (keys.Length > 0)
                {
                    for (var i = 0; i < n; i++)
                    {
                        matched = buffer[i] == keys[matched] ? matched + 1 : (buffer[i] == keys[0] ? 1 : 0);
                        if (matched == keys.Length)
                        {
                            detached.Cancel();
                            return;
                        }
                    }
                }
                await Frame.WriteAsync(socket, FrameType.Stdin, buffer.AsMemory(0, n), detached.Token).ConfigureAwait(false);
            }
            await Frame.WriteAsync(socket, FrameType.CloseStdin, ReadOnlyMemory<byte>.Empty, detached.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Resizes a TTY container's terminal (window-change forwarding).</summary>
    public async Task ResizeAsync(string nameOrId, int rows, int cols, CancellationToken cancellationToken)
    {
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        if (state.Socket is null) return;
        await MonitorClient.RequestAsync(state.Socket, new MonitorRequest { Op = "resize", Rows = rows, Cols = cols }, cancellationToken).ConfigureAwait(false);
    }
}
