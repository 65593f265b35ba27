using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
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
        // The window size goes with the request: the monitor sizes the terminal before it lets a
        // process held for this attach run.
        var size = record.Options.Tty ? streams.Size : null;
        await MonitorClient.SendRequestAsync(socket, new MonitorRequest
        {
            Op = "attach",
            Stdin = streams.Stdin is not null,
            Rows = size?.Rows ?? 0,
            Cols = size?.Cols ?? 0,
        }, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var detached = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = new AttachSender(stream, streams.Stdin is not null, state.Socket);
        var input = streams.Stdin is null ? Task.CompletedTask : Task.Run(() => PumpStdinAsync(sender, streams, detached), CancellationToken.None);
        var resizes = streams.Resizes is { } changes && record.Options.Tty
            ? Task.Run(() => PumpResizesAsync(sender, changes, detached.Token), CancellationToken.None)
            : Task.CompletedTask;

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
            try { await resizes.ConfigureAwait(false); } catch (Exception) { }
        }
    }

    private static async Task PumpStdinAsync(AttachSender sender, AttachStreams streams, CancellationTokenSource detached)
    {
        var buffer = new byte[4096];
        var matcher = streams.DetachKeys is { Length: > 0 } keys ? new DetachKeyMatcher(keys) : null;
        var forward = new ArrayBufferWriter<byte>(buffer.Length);
        try
        {
            int n;
            while ((n = await streams.Stdin!.ReadAsync(buffer, detached.Token).ConfigureAwait(false)) > 0)
            {
                forward.Clear();
                var detach = false;
                if (matcher is null) forward.Write(buffer.AsSpan(0, n));
                else detach = matcher.Feed(buffer.AsSpan(0, n), forward);
                if (forward.WrittenCount > 0)
                    await sender.SendAsync(FrameType.Stdin, forward.WrittenMemory, detached.Token).ConfigureAwait(false);
                if (detach)
                {
                    detached.Cancel();
                    return;
                }
            }
            await sender.SendAsync(FrameType.CloseStdin, ReadOnlyMemory<byte>.Empty, detached.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpResizesAsync(AttachSender sender, ChannelReader<(int Rows, int Cols)> changes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var size in changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                await sender.ResizeAsync(size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The attach ended while a resize was on its way.
        }
    }

    /// <summary>
    /// Writes to the monitor for one attach: frames from the stdin and resize pumps one at a
    /// time; resizes go in the attach stream when it carries stdin (the monitor reads frames
    /// only then), else as a control request of their own.
    /// </summary>
    private sealed class AttachSender
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Stream _stream;
        private readonly bool _framesRead;
        private readonly string _controlSocket;

        public AttachSender(Stream stream, bool framesRead, string controlSocket)
        {
            _stream = stream;
            _framesRead = framesRead;
            _controlSocket = controlSocket;
        }

        public async Task SendAsync(FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Frame.WriteAsync(_stream, type, payload, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task ResizeAsync((int Rows, int Cols) size, CancellationToken cancellationToken)
        {
            if (_framesRead)
            {
                await SendAsync(FrameType.Resize, Frame.ResizePayload(size.Rows, size.Cols), cancellationToken).ConfigureAwait(false);
                return;
            }
            try
            {
                await MonitorClient.RequestAsync(_controlSocket, new MonitorRequest { Op = "resize", Rows = size.Rows, Cols = size.Cols }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EngineException or IOException or SocketException)
            {
                // The container is exiting: the attach reports that, not the resize.
            }
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
