using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Monitor;

public sealed partial class ContainerMonitor
{
    private void StartControlServer()
    {
        var path = _state.Socket!;
        AtomicFile.TryDelete(path);
        _listener = UnixSocket.Listen(path, 16);
        var t = new Thread(AcceptLoop, 128 * 1024) { IsBackground = true, Name = "control" };
        t.Start();
    }

    /// <summary>Clients waiting for the next exit (the "wait" request), answered by <see cref="AnswerWaiters"/>.</summary>
    private readonly List<UnixSocket> _waiters = new();

    /// <summary>
    /// Reads each request on this thread; "wait" (every foreground run and -AutoRemove asks it)
    /// needs no thread of its own: answered at once, or kept until the exit. Every other request
    /// gets a thread (stop and attach block for long).
    /// </summary>
    private void AcceptLoop()
    {
        while (true)
        {
            var client = _listener!.Accept();
            if (client is null) return; // shut down by Cleanup
            MonitorRequest request;
            try
            {
                // The engine writes its line right after connecting: a client that does not cannot hold up the others.
                client.SetReceiveTimeout(TimeSpan.FromSeconds(2));
                var line = ReadLine(client);
                if (line is null) { client.Dispose(); continue; }
                client.SetReceiveTimeout(TimeSpan.Zero);
                request = MonitorJson.ReadRequest(line);
            }
            catch (JsonException ex)
            {
                TryReply(client, new MonitorResponse { Ok = false, Error = "bad request: " + ex.Message });
                client.Dispose();
                continue;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                client.Dispose();
                continue;
            }
            if (request.Op == "wait")
            {
                Wait(client);
                continue;
            }
            Interlocked.Increment(ref _inFlight);
            var t = new Thread(() => Serve(client, request), 128 * 1024) { IsBackground = true, Name = "client" };
            t.Start();
        }
    }

    /// <summary>The next exit of a running container; a container that is not running has exited already.</summary>
    private void Wait(UnixSocket client)
    {
        int code;
        lock (_stateGate)
        {
            code = _state.Status == ContainerStatus.Running || _state.Status == ContainerStatus.Paused ? -1 : _state.ExitCode;
            if (code < 0)
            {
                _waiters.Add(client);
                return;
            }
        }
        TryReply(client, new MonitorResponse { Ok = true, ExitCode = code });
        client.Dispose();
    }

    /// <summary>Called with the exit recorded: every waiting client hears its code.</summary>
    private void AnswerWaiters(int exitCode)
    {
        UnixSocket[] waiters;
        lock (_stateGate)
        {
            waiters = _waiters.ToArray();
            _waiters.Clear();
        }
        foreach (var w in waiters)
        {
            TryReply(w, new MonitorResponse { Ok = true, ExitCode = exitCode });
            w.Dispose();
        }
    }

    private static void TryReply(UnixSocket client, MonitorResponse response)
    {
        try { Reply(client, response); }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException) { }
    }

    /// <summary>One request (its line already read) on a thread of its own; the caller counted it in flight.</summary>
    private void Serve(UnixSocket client, MonitorRequest request)
    {
        var keepOpen = false;
        try
        {
            switch (request.Op)
            {
                case "attach":
                    keepOpen = true;
                    Attach(client, request);
                    break;
                case "kill":
                    SendSignal(request.Signal == 0 ? 9 : request.Signal);
                    Reply(client, Ok());
                    break;
                case "stop":
                    Reply(client, Stop(request.Signal == 0 ? 15 : request.Signal, request.TimeoutSeconds));
                    break;
                case "resize":
                    Reply(client, Resize(request.Rows, request.Cols));
                    break;
                case "pause":
                    Reply(client, Pause(true));
                    break;
                case "resume":
                    Reply(client, Pause(false));
                    break;
                case "state":
                    lock (_stateGate) Reply(client, new MonitorResponse { Ok = true, State = _state });
                    break;
                case "network":
                    Reply(client, RefreshNetworkSnapshot());
                    break;
                default:
                    Reply(client, new MonitorResponse { Ok = false, Error = $"unknown op \"{request.Op}\"" });
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            if (!keepOpen) client.Dispose();
            if (Interlocked.Decrement(ref _inFlight) == 0)
                lock (_inFlightGate) System.Threading.Monitor.PulseAll(_inFlightGate);
        }
    }

    private MonitorResponse Stop(int signal, int timeoutSeconds)
    {
        Task<int> exited;
        lock (_stateGate)
        {
            _state.ManualStop = true;
            exited = _exited.Task;
            if (_current is null) return Ok();
        }
        UpdateState(_ => { });
        _attachedOnce.TrySetResult(); // a process held for an attach that will not come: release it to its end
        if (_state.Status == ContainerStatus.Paused) Pause(false); // a frozen process cannot handle its signal
        SendSignal(signal);
        if (!exited.Wait(TimeSpan.FromSeconds(Math.Max(0, timeoutSeconds))))
        {
            SendSignal(9);
            exited.Wait(TimeSpan.FromSeconds(30));
        }
        return new MonitorResponse { Ok = true, ExitCode = exited.IsCompleted ? exited.Result : null };
    }

    /// <summary>
    /// The engine rewrote network.json (an attachment connected or disconnected while running):
    /// read it again, so a teardown from the snapshot — the store deleted under the running
    /// container — releases what is attached now, not what was attached at start.
    /// </summary>
    private MonitorResponse RefreshNetworkSnapshot()
    {
        if (_config.NetworkFile is null) return new MonitorResponse { Ok = false, Error = "the container has no network set-up of its own" };
        var current = ReadNetworkSnapshot(_config.NetworkFile);
        if (current is null) return new MonitorResponse { Ok = false, Error = $"cannot read {_config.NetworkFile}" };
        _networkSnapshot = current;
        return Ok();
    }

    private MonitorResponse Resize(int rows, int cols)
    {
        if (_current is not { } launch || !launch.ResizeTerminal(rows, cols)) return new MonitorResponse { Ok = false, Error = "the container has no TTY" };
        return Ok();
    }

    private MonitorResponse Pause(bool freeze)
    {
        if (_cgroup is null) return new MonitorResponse { Ok = false, Error = "pause needs the built-in runtime's cgroup" };
        lock (_stateGate)
        {
            if (_current is null) return new MonitorResponse { Ok = false, Error = "the container is not running" };
        }
        if (freeze) _cgroup.Freeze(); else _cgroup.Thaw();
        UpdateState(s => s.Status = freeze ? ContainerStatus.Paused : ContainerStatus.Running);
        return Ok();
    }

    private void Attach(UnixSocket socket, MonitorRequest request)
    {
        var client = new AttachClient(socket, request.Stdout, request.Stderr);
        int? exitCode = null;
        LaunchResult? launch;
        lock (_stateGate)
        {
            if (_current is null && _state.Status != ContainerStatus.Restarting) exitCode = _state.ExitCode;
            else _hub.Add(client);
            launch = _current;
        }
        if (exitCode is { } done)
        {
            client.TrySend(FrameType.Exit, Frame.ExitPayload(done));
            client.Close();
            return;
        }
        // The client's window size, set before a process held for this attach runs (docker's
        // ConsoleSize): a program asking for it at once must not find a 0x0 terminal.
        // (The master of a held built-in init arrives only at its release: the size is applied then.)
        if (launch is not null && request.Rows > 0 && request.Cols > 0)
        {
            try { launch.ResizeTerminal(request.Rows, request.Cols); } catch (IOException) { }
        }
        _attachedOnce.TrySetResult();
        if (!request.Stdin) return; // output-only: frames flow from the pumps until exit
        var t = new Thread(() => ForwardStdin(socket, client), 128 * 1024) { IsBackground = true, Name = "stdin" };
        t.Start();
    }

    /// <summary>Client stdin frames → the container's stdin (pipe or pty master).</summary>
    private void ForwardStdin(UnixSocket socket, AttachClient client)
    {
        using var stream = socket.GetStream();
        try
        {
            while (Frame.ReadAsync(stream).GetAwaiter().GetResult() is { } frame)
            {
                var launch = _current;
                if (launch is null) break;
                switch (frame.Type)
                {
                    case FrameType.Stdin:
                        WriteStdin(launch, frame.Payload);
                        break;
                    case FrameType.Resize when frame.Payload.Length == 4:
                        launch.ResizeTerminal((frame.Payload[0] << 8) | frame.Payload[1], (frame.Payload[2] << 8) | frame.Payload[3]);
                        break;
                    case FrameType.CloseStdin:
                        CloseStdin(launch);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidDataException)
        {
        }
        finally
        {
            _hub.Remove(client);
            if (_config.StdinOnce && _current is { } l) CloseStdin(l);
        }
    }

    private static void WriteStdin(LaunchResult launch, byte[] data)
    {
        // A held init's terminal arrives at its release: input typed before waits for it.
        if (launch.AwaitTerminal() is { } pty)
        {
            using var master = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(pty.Master, ownsHandle: false), FileAccess.Write, 1);
            master.Write(data);
            return;
        }
        launch.Stdin?.Write(data);
        launch.Stdin?.Flush();
    }

    private static void CloseStdin(LaunchResult launch)
    {
        var stdin = launch.Stdin;
        launch.Stdin = null;
        stdin?.Dispose();
    }

    private static MonitorResponse Ok() => new() { Ok = true };

    private static void Reply(UnixSocket client, MonitorResponse response)
    {
        var bytes = MonitorJson.Write(response);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        client.SendAll(line);
    }

    /// <summary>Reads the request line byte by byte, so nothing after it (attach frames) is consumed.</summary>
    private static string? ReadLine(UnixSocket client)
    {
        var bytes = new List<byte>(256);
        var one = new byte[1];
        while (bytes.Count < 64 * 1024)
        {
            var n = client.Receive(one);
            if (n == 0) return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
            if (one[0] == '\n') return Encoding.UTF8.GetString(bytes.ToArray());
            bytes.Add(one[0]);
        }
        return null;
    }
}
