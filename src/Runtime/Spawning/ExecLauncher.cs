using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Runtime.Spawning;

/// <summary>
/// Starts an exec process inside a running container. A dedicated thread setns's into the
/// container's ipc, uts, net, pid and cgroup namespaces (through /proc/&lt;pid&gt;/ns/*) and
/// posix_spawns the shim by its host path: the child is in the container's PID namespace. The
/// mount namespace is joined by the shim itself, last, just before execve (fd 6): the shim is a
/// host binary that needs the host's dynamic loader, which a container image need not have.
/// The shim waits on the go pipe until it is in the container's cgroup. With a TTY it makes the
/// terminal inside the container (the next /dev/pts/N of its devpts) and sends the master back
/// on a console socket before it execs.
/// </summary>
public sealed class ExecLauncher : IDisposable
{
    private static readonly string[] NamespaceOrder = { "ipc", "uts", "net", "pid", "cgroup" };

    public int Pid { get; private init; }
    public Stream? Stdin { get; private set; }
    public Stream? Stdout { get; private init; }
    public Stream? Stderr { get; private init; }
    /// <summary>With a TTY: the master of the terminal the shim made in the container, there once <see cref="Release"/> returned.</summary>
    public Pty? Pty { get; private set; }
    private ConsoleSocket? _console;
    private string? _runtime, _pidFile;
    private Stream? _go;
    private Stream? _errors;

    /// <param name="cgroupTaskFiles">
    /// The container's v1 <c>tasks</c> files (<see cref="Cgroups.ICgroupManager.SelfJoinFiles"/>):
    /// the spawning thread joins them itself, before it enters the container's cgroup namespace,
    /// and the shim is forked into them — no migration by PID, whose global lock waits an RCU
    /// grace period (~10 ms) when it was last taken a while ago. Empty: the caller moves the PID.
    /// </param>
    public static ExecLauncher Launch(string shimPath, int containerPid, ExecRequest request, IReadOnlyList<string>? cgroupTaskFiles = null)
    {
        var nsFds = new List<int>();
        var mntFd = -1;
        ChildStdio? stdio = null;
        Pipe? go = null, errors = null, requestPipe = null;
        try
        {
            foreach (var ns in NamespaceOrder)
            {
                var path = $"/proc/{containerPid}/ns/{ns}";
                var fd = SpawnNative.open(path, SpawnNative.O_RDONLY | SpawnNative.O_CLOEXEC, 0);
                if (fd < 0) throw Failed("open", path);
                nsFds.Add(fd);
            }
            mntFd = SpawnNative.open($"/proc/{containerPid}/ns/mnt", SpawnNative.O_RDONLY | SpawnNative.O_CLOEXEC, 0);
            if (mntFd < 0) throw Failed("open", $"/proc/{containerPid}/ns/mnt");

            stdio = ChildStdio.Open(request.Tty, openStdin: true, consoleSocket: true);
            var descriptors = new List<(int, int)>(stdio.Descriptors);
            go = Pipe.Create();
            errors = Pipe.Create();
            requestPipe = Pipe.Create();
            descriptors.AddRange(new[] { (3, go.ReadFd), (4, errors.WriteFd), (5, requestPipe.ReadFd), (6, mntFd) });
            if (stdio.ConsoleChildFd >= 0) descriptors.Add((7, stdio.ConsoleChildFd));

            var fds = nsFds;
            // No unshare needed for these namespaces: the thread joins them and ends after the spawn.
            var pid = Spawner.RunInNewNamespaces(0, () =>
            {
                // This thread ends after the spawn: it may join the container's cgroups (a
                // thread-level "0" > tasks in v1), and the shim inherits them.
                if (cgroupTaskFiles is { Count: > 0 }) Cgroups.CgroupSelfJoin.Join(cgroupTaskFiles);
                for (var i = 0; i < fds.Count; i++)
                    if (SpawnNative.setns(fds[i], 0) != 0) throw Failed("setns", $"/proc/{containerPid}/ns/{NamespaceOrder[i]}");
                return Spawner.Spawn(new SpawnRequest
                {
                    Path = shimPath,
                    Arguments = new[] { "containerps-shim", "exec" },
                    Environment = Array.Empty<string>(),
                    Descriptors = descriptors,
                });
            });

            stdio.CloseChildEnds();
            go.CloseRead();
            errors.CloseWrite();
            requestPipe.CloseRead();
            using (var writer = requestPipe.TakeWriter())
                writer.Write(JsonSerializer.SerializeToUtf8Bytes(request, MonitorJsonContext.Default.ExecRequest));

            return new ExecLauncher
            {
                Pid = pid,
                _console = stdio.TakeConsole(),
                Stdin = stdio.TakeStdin(),
                Stdout = stdio.TakeStdout(),
                Stderr = stdio.TakeStderr(),
                _go = go.TakeWriter(),
                _errors = errors.TakeReader(),
            };
        }
        catch
        {
            go?.Dispose();
            errors?.Dispose();
            requestPipe?.Dispose();
            throw;
        }
        finally
        {
            stdio?.Dispose(); // closes only what was not taken
            foreach (var fd in nsFds) SpawnNative.close(fd);
            if (mntFd >= 0) SpawnNative.close(mntFd);
        }
    }

    /// <summary>
    /// runc/crun: `&lt;runtime&gt; --root &lt;state root&gt; exec --process &lt;file&gt; --pid-file &lt;file&gt; &lt;id&gt;`.
    /// The runtime joins the container's namespaces and cgroup itself; in the foreground it
    /// passes our pipes on to the process, or, with a TTY, makes the terminal inside the
    /// container and relays it to the host pty given here (sized before the spawn: it copies
    /// the size at start, and again on SIGWINCH, see <see cref="Resize"/>). Its exit status is the
    /// process's. <see cref="Release"/> then waits for the PID file (started) or its exit (failed).
    /// </summary>
    public static ExecLauncher LaunchWithRuntime(string runtime, string containerId, string processFile, string pidFile, bool tty, (int Rows, int Cols)? size)
    {
        var path = OciRuntimeProcess.Find(runtime) ?? throw new SpawnException($"{runtime} (not found on PATH)", 2);
        File.Delete(pidFile);
        ChildStdio? stdio = null;
        try
        {
            stdio = ChildStdio.Open(tty, openStdin: true);
            var pty = stdio.TakePty();
            try
            {
                if (pty is not null && size is { } s) Pty.Resize(pty.Master, s.Rows, s.Cols);
                var descriptors = stdio.Descriptors; // the slave's fd stays open until CloseSlave below
                var pid = Spawner.Spawn(new SpawnRequest
                {
                    Path = path,
                    Arguments = new[] { runtime, "--root", OciRuntimeProcess.StateRoot(runtime), "exec", "--process", processFile, "--pid-file", pidFile, containerId },
                    Environment = OciRuntimeProcess.Environment,
                    Descriptors = descriptors,
                });
                stdio.CloseChildEnds();
                pty?.CloseSlave();
                return new ExecLauncher
                {
                    Pid = pid,
                    Pty = pty,
                    Stdin = stdio.TakeStdin(),
                    Stdout = stdio.TakeStdout(),
                    Stderr = stdio.TakeStderr(),
                    _runtime = runtime,
                    _pidFile = pidFile,
                };
            }
            catch
            {
                pty?.Dispose();
                throw;
            }
        }
        finally
        {
            stdio?.Dispose(); // closes only what was not taken
        }
    }

    /// <summary>Releases the exec'ed shim and returns its verdict (<see cref="StartHandshake"/>); for runc/crun, waits for their start.</summary>
    public (bool Ok, int ExitCode, string? Error) Release()
    {
        if (_runtime is { } runtime) return OciRuntimeProcess.AwaitStart(runtime, Pid, _pidFile!, Stderr, Pty);
        var (go, errors) = (_go!, _errors!);
        _go = null;
        _errors = null;
        return StartHandshake.Release(go, errors, defaultExitCode: 126, afterGo: ReceiveTerminal);
    }

    /// <summary>The shim sends the master before it execs (or closes the socket when it fails first).</summary>
    private void ReceiveTerminal()
    {
        if (_console is not { } console) return;
        _console = null;
        try
        {
            Pty = console.ReceiveMaster();
        }
        catch (IOException)
        {
            // No terminal to relay: the process's output is lost (or it failed, and says so).
        }
        finally
        {
            console.Dispose();
        }
    }

    /// <summary>The terminal's new size: on the master; runc/crun then copy it from their host pty on SIGWINCH.</summary>
    public void Resize(int rows, int cols)
    {
        if (Pty is not { } pty) return;
        Pty.Resize(pty.Master, rows, cols);
        if (_runtime is not null) Spawner.Kill(Pid, SIGWINCH);
    }

    /// <summary>Ends the process at once (cancellation): for runc/crun the process itself too, which outlives a killed runtime.</summary>
    public void Kill()
    {
        if (_pidFile is not null && OciRuntimeProcess.ReadPid(_pidFile) is > 0 and var pid) Spawner.Kill(pid, 9);
        Spawner.Kill(Pid, 9);
    }

    private const int SIGWINCH = 28;

    private static SpawnException Failed(string call, string path) => new($"{call} {path}", Marshal.GetLastPInvokeError());

    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout?.Dispose();
        Stderr?.Dispose();
        Pty?.Dispose();
        _console?.Dispose();
        _go?.Dispose();
        _errors?.Dispose();
    }
}
