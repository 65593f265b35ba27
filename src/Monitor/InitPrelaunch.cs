using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;

namespace ContainerPS.Monitor;

/// <summary>
/// An early monitor's head start on its container's init. While the engine still creates the
/// container, a thread unshares the namespaces every built-in container gets (mount, UTS, IPC,
/// PID), enters the network the engine named (its own with loopback up, or the host's: as
/// <see cref="ContainerLauncher.Launch"/> does) and spawns the init as
/// <c>containerps-shim init &lt;bundle&gt; notty -</c>: its process start-up (the NativeAOT
/// runtime, ~1 ms) runs then. <see cref="SetUp"/> gives it the cgroup tasks files of the chosen
/// ID (<see cref="InitSetup"/>); it then waits for the byte that says the container exists
/// (config.json written), reads the spec, and waits for the go byte. Once monitor.json is read,
/// <see cref="TryTake"/> sends that byte, has the rootfs mounted from the same thread — it shares
/// the init's mount namespace — while the monitor makes the cgroup, and hands the launch over;
/// for a container it does not fit (a terminal, open stdin, runc/crun, a network namespace to
/// join, another network or bundle) it ends the init and the ordinary launch runs instead.
/// </summary>
/// <remarks>
/// Its mount namespace is a copy of the host's from before the container was created: what the
/// container needs from the host must not be a mount made since (the rootfs is mounted into it
/// from the parked thread; volumes and hosts files are plain directories and files; an
/// engine-made network namespace is a bind mount, hence never prelaunched). The thread stays
/// parked between the spawn and the mount: it is the only way back into the init's mount
/// namespace without setns (which needs an unshared fs context). Nothing else ever runs on it,
/// as with <see cref="Spawner.RunInNewNamespaces{T}"/>.
/// </remarks>
public sealed class InitPrelaunch : IDisposable
{
    private readonly string _bundle, _network;
    private readonly ChildStdio _stdio;
    private readonly Pipe _go, _errors;
    private readonly ManualResetEventSlim _spawned = new(), _mountRequested = new(), _mounted = new();
    private InitSetup? _setup;
    private Exception? _failure;
    private MountDescription? _mount;
    private string? _target;
    private int _pid = -1;
    private bool _taken, _disposed;

    private InitPrelaunch(string bundle, string network, ChildStdio stdio, Pipe go, Pipe errors)
    {
        _bundle = bundle;
        _network = network;
        _stdio = stdio;
        _go = go;
        _errors = errors;
    }

    /// <summary>
    /// Starts the init for <paramref name="bundle"/> in <paramref name="network"/>
    /// (<see cref="InitNetwork.Own"/> or <see cref="InitNetwork.Host"/>); null when that is not
    /// possible (the ordinary launch then does it).
    /// </summary>
    public static InitPrelaunch? Start(string shimPath, string bundle, string network)
    {
        if (network is not (InitNetwork.Own or InitNetwork.Host)) return null;
        ChildStdio? stdio = null;
        Pipe? go = null, errors = null;
        try
        {
            stdio = ChildStdio.Open(tty: false, openStdin: false, consoleSocket: true);
            (go, errors) = (Pipe.Create(), Pipe.Create());
            var pre = new InitPrelaunch(bundle, network, stdio, go, errors);
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

    /// <summary>Gives the init its set-up (it waits in the pipe until the init reads it).</summary>
    public void SetUp(InitSetup setup)
    {
        try
        {
            Send(setup.Encode());
            _setup = setup;
        }
        catch (IOException ex)
        {
            // The init is gone: TryTake finds no set-up and the ordinary launch runs.
            Console.Error.WriteLine($"containerps-monitor: the init started ahead: {ex.Message}");
        }
    }

    private void InNamespaces(string shimPath, List<(int, int)> descriptors)
    {
        try
        {
            if (SpawnNative.unshare(ContainerLauncher.BuiltinNamespaces) != 0)
                throw new SpawnException("unshare", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            InitNetwork.Enter(_network);
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
    /// The launch for <paramref name="config"/>: the init told its container exists, the rootfs
    /// being mounted (<see cref="LaunchResult.CompleteSetUp"/> waits for it). Null (and the
    /// init ended) when the head start does not fit it.
    /// </summary>
    /// <exception cref="IOException">The init could not be told (it is ended).</exception>
    public LaunchResult? TryTake(MonitorConfig config, IReadOnlyList<string> cgroupTaskFiles)
    {
        _spawned.Wait();
        // The set-up it was given must be this container's. Not an engine-made network namespace:
        // its bind mount came after this init's mount namespace was copied from the host's.
        if (_failure is not null || _setup is null || config.Runtime is not ("builtin" or "") || config.Tty || config.OpenStdin ||
            config.Bundle != _bundle || config.NetnsPath is not null || InitNetwork.For(config.NetnsPath, config.HostNetwork) != _network ||
            !cgroupTaskFiles.SequenceEqual(_setup.CgroupTaskFiles))
        {
            Dispose();
            return null;
        }

        try
        {
            Send(new[] { InitSetup.CreatedByte }); // config.json is there: the init reads it while the rest is set up
        }
        catch (IOException ex)
        {
            Dispose();
            throw new IOException($"telling the init its container exists: {ex.Message}", ex);
        }
        // The rootfs mount runs on the parked thread while the monitor makes the cgroup; the
        // release waits for it (CompleteSetUp).
        _mount = config.Rootfs;
        _target = ContainerLauncher.RootfsOf(config);
        _mountRequested.Set();
        _taken = true;
        return ContainerLauncher.Handover(_pid, _stdio, _go, _errors, completeSetUp: AwaitMount);
    }

    private void AwaitMount()
    {
        _mounted.Wait();
        if (_failure is { } failure) throw new IOException($"mounting the rootfs: {failure.Message}", failure);
    }

    /// <summary>One write under PIPE_BUF on the go pipe: it arrives whole, before the go byte.</summary>
    private void Send(byte[] line)
    {
        using var go = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(_go.WriteFd, ownsHandle: false), FileAccess.Write, 1);
        go.Write(line);
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
