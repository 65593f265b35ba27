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
    private Stream? _go;
    private Stream? _errors;

    public static ExecLauncher Launch(string shimPath, int containerPid, ExecRequest request)
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

    /// <summary>Releases the exec'ed shim and returns its verdict (<see cref="StartHandshake"/>).</summary>
    public (bool Ok, int ExitCode, string? Error) Release()
    {
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
