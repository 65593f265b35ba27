using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Monitor;

/// <summary>
/// An early monitor's head start on its container's init. While the engine still creates the
/// container, a thread unshares the namespaces every built-in container gets (mount, UTS, IPC,
/// PID) and spawns the init as <c>containerps-shim init &lt;bundle&gt; notty -</c>: its process
/// start-up (the NativeAOT runtime, ~1 ms) runs then, and it waits on its go pipe for what
/// depends on the container (<see cref="InitSetup"/>: network, cgroup tasks files), then for
/// the go byte. Once monitor.json is read, <see cref="TryTake"/> mounts the rootfs from that
/// same thread — it shares the init's mount namespace — and hands the launch over; for a
/// container it does not fit (a terminal, open stdin, runc/crun, a network namespace to join,
/// another bundle) it ends the init and the ordinary <see cref="ContainerLauncher.Launch"/> runs
/// instead. Its mount namespace is a copy of the host's from before the container was created:
/// what the container needs from the host must not be a mount made since (the rootfs is
/// mounted into it from the parked thread; volumes and hosts files are plain directories and
/// files; an engine-made network namespace is a bind mount, hence not taken).
/// </summary>
/// <remarks>
/// The thread stays parked between the spawn and the mount: it is the only way back into the
/// init's mount namespace without setns (which needs an unshared fs context). Nothing else
/// ever runs on it, as with <see cref="Spawner.RunInNewNamespaces{T}"/>.
/// </remarks>
public sealed class InitPrelaunch : IDisposable
{
    private readonly string _bundle;
    private readonly ChildStdio _stdio;
    private readonly Pipe _go, _errors;
    private readonly ManualResetEventSlim _spawned = new(), _mountRequested = new(), _mounted = new();
    private Exception? _failure;
    private MountDescription? _mount;
    private string? _target;
    private int _pid = -1;
    private bool _taken, _disposed;

    private InitPrelaunch(string bundle, ChildStdio stdio, Pipe go, Pipe errors)
    {
        _bundle = bundle;
        _stdio = stdio;
        _go = go;
        _errors = errors;
    }

    /// <summary>Starts the init for <paramref name="bundle"/>; null when that is not possible (the ordinary launch then does it).</summary>
    public static InitPrelaunch? Start(string shimPath, string bundle)
    {
        ChildStdio? stdio = null;
        Pipe? go = null, errors = null;
        try
        {
            stdio = ChildStdio.Open(tty: false, openStdin: false, consoleSocket: true);
            (go, errors) = (Pipe.Create(), Pipe.Create());
            var pre = new InitPrelaunch(bundle, stdio, go, errors);
            var descriptors = ContainerLauncher.InitDescriptors(stdio, go, errors);
            var thread = new Thread(() => pre.InNamespaces(shimPath, descriptors), 256 * 1024) { IsBackground = true, Name = "containerps-ns" };
            thread.Start();
            return pre;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"containerps-monitor: starting the init ahead: {ex.Message}");
            stdio?.Dispose();
            go?.Dispose();
            errors?.Dispose();
            return null;
        }
    }

    private void InNamespaces(string shimPath, List<(int, int)> descriptors)
    {
        try
        {
            if (SpawnNative.unshare(ContainerLauncher.BuiltinNamespaces) != 0)
                throw new SpawnException("unshare", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            _pid = Spawner.Spawn(new SpawnRequest
            {
                Path = shimPath,
                Arguments = new[] { "containerps-shim", "init", _bundle, "notty", InitSetup.OnGoPipe },
                Environment = Array.Empty<string>(),
                Descriptors = descriptors,
            });
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
        _spawned.Set();
        if (_failure is not null) return;

        _mountRequested.Wait();
        if (_mount is { } mount)
        {
            try { ContainerLauncher.MountRootfs(mount, _target!); }
            catch (Exception ex) { _failure = ex; }
        }
        _mounted.Set();
    }

    /// <summary>
    /// The launch for <paramref name="config"/>: the rootfs mounted, the init told its network
    /// and cgroup tasks files. Null (and the init ended) when the head start does not fit it.
    /// </summary>
    /// <exception cref="IOException">The rootfs mount failed (the init is ended too).</exception>
    public LaunchResult? TryTake(MonitorConfig config, IReadOnlyList<string> cgroupTaskFiles)
    {
        _spawned.Wait();
        // Not an engine-made network namespace either: its bind mount came after this init's
        // mount namespace was copied from the host's, so the init could not open it.
        if (_failure is not null || config.Runtime is not ("builtin" or "") || config.Tty || config.OpenStdin || config.Bundle != _bundle || config.NetnsPath is not null)
        {
            Dispose();
            return null;
        }

        _mount = config.Rootfs;
        _target = ContainerLauncher.RootfsOf(config);
        _mountRequested.Set();
        _mounted.Wait();
        if (_failure is { } failure)
        {
            Dispose();
            throw failure;
        }

        var setup = new InitSetup { Network = InitSetup.NetworkFor(config.NetnsPath, config.HostNetwork), CgroupTaskFiles = cgroupTaskFiles };
        try
        {
            // One write well under PIPE_BUF: it arrives whole, before the go byte.
            using var go = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(_go.WriteFd, ownsHandle: false), FileAccess.Write, 1);
            go.Write(setup.Encode());
        }
        catch (IOException ex)
        {
            Dispose();
            throw new IOException($"telling the init its set-up: {ex.Message}", ex);
        }
        _taken = true;
        return ContainerLauncher.Handover(_pid, _stdio, _go, _errors);
    }

    /// <summary>Ends the init if nobody took it, and lets the parked thread go.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _mountRequested.Set();
        if (_taken) return;
        _spawned.Wait();
        if (_pid > 0)
        {
            Spawner.Kill(_pid, 9);
            try { Spawner.Wait(_pid); } catch (SpawnException) { }
        }
        _stdio.Dispose();
        _go.Dispose();
        _errors.Dispose();
    }
}
