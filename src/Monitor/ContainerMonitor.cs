using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Networking;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Monitor;

/// <summary>
/// Looks after one container for its whole life, with no daemon: starts it, copies its
/// output to the json-file log and attached clients, serves the control socket (attach,
/// kill, stop, wait, resize, pause, resume, state), records its exit, applies the restart
/// policy, and cleans up (cgroup, socket, the container itself for -AutoRemove).
/// The only writer of state.json.
/// </summary>
public sealed partial class ContainerMonitor
{
    private readonly MonitorConfig _config;
    private readonly string _shimPath;
    private readonly ContainerStateFile _state = new();
    private readonly object _stateGate = new();
    private readonly AttachHub _hub = new();
    private readonly JsonFileLog _log;
    private readonly ICgroupManager? _cgroup;
    private readonly CgroupResources? _resources;
    private LaunchResult? _current;
    private TaskCompletionSource<int> _exited = NewExit();
    private readonly TaskCompletionSource<int> _finished = NewExit();
    private readonly TaskCompletionSource _attachedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private UnixSocket? _listener;
    private int _inFlight;
    private readonly object _inFlightGate = new();

    /// <param name="prelaunch">The init started ahead by an early monitor, for the first launch (if it fits).</param>
    public ContainerMonitor(MonitorConfig config, string shimPath, ICgroupManager? cgroup, CgroupResources? resources, InitPrelaunch? prelaunch = null)
    {
        _prelaunch = prelaunch;
        _config = config;
        _shimPath = shimPath;
        _cgroup = cgroup;
        _resources = resources;
        _log = new JsonFileLog(config.LogPath);
        _state.MonitorPid = Environment.ProcessId;
        _state.Socket = SocketPath(config);
        _networkSnapshot = ReadNetworkSnapshot(config.NetworkFile);
    }

    /// <summary>
    /// network.json as the engine last wrote it — once the network is up (the start's "ok"), then after each connect or
    /// disconnect (the "network" request): the teardown's fallback when the store goes first.
    /// </summary>
    private volatile byte[]? _networkSnapshot;

    private static byte[]? ReadNetworkSnapshot(string? file)
    {
        if (file is null) return null;
        try { return File.ReadAllBytes(file); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private string StatePath => Path.Combine(_config.ContainerDir, "state.json");

    /// <summary>Runs the container to its end; <paramref name="ready"/> gets the one start-up verdict for the engine.</summary>
    public int Run(Action<MonitorReady> ready)
    {
        // The init is spawned first and everything else this process sets up (control socket,
        // state.json, cgroup, output pumps) is done while it starts up: its own runtime start and
        // config parse take longer than all of that, so none of it is on the start path. The init
        // waits on its go pipe until Release, so nothing it does depends on what is made here.
        (bool Ok, int ExitCode, string? Error) verdict;
        if (_config.WaitForAttach)
        {
            // Report the PID as soon as the process exists, then hold it before exec until the
            // engine has attached: a start error then reaches the attached client too.
            var reported = false;
            verdict = StartOnce(beforeGo: PrepareCgroup, afterGo: PrepareControl, awaitNetwork: _config.WaitForNetwork, beforeRelease: pid =>
            {
                ready(new MonitorReady { Ok = true, Pid = pid });
                reported = true;
                _attachedOnce.Task.Wait(TimeSpan.FromSeconds(60));
            });
            if (!verdict.Ok)
            {
                if (!reported) return FailStart(ready, verdict.ExitCode, verdict.Error!);
                RecordExit(verdict.ExitCode, verdict.Error);
                _finished.TrySetResult(verdict.ExitCode);
                Cleanup();
                return 0;
            }
        }
        else
        {
            verdict = StartOnce(beforeGo: PrepareCgroup, afterGo: PrepareControl, awaitNetwork: _config.WaitForNetwork, running: pid => ready(new MonitorReady { Ok = true, Pid = pid }));
            if (!verdict.Ok) return FailStart(ready, verdict.ExitCode, verdict.Error!);
        }

        var exitCode = 0;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var started = DateTime.UtcNow;
            exitCode = WaitForExit();
            if (!ShouldRestart(exitCode)) break;
            if (DateTime.UtcNow - started > TimeSpan.FromSeconds(10)) backoff = TimeSpan.FromMilliseconds(100);
            UpdateState(s => { s.Status = ContainerStatus.Restarting; s.RestartCount++; });
            Thread.Sleep(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            lock (_stateGate) if (_state.ManualStop) break;
            var again = StartOnce();
            if (!again.Ok)
            {
                RecordExit(again.ExitCode, again.Error);
                exitCode = again.ExitCode;
                break;
            }
        }
        _finished.TrySetResult(exitCode);
        Cleanup();
        return 0;
    }

    private int FailStart(Action<MonitorReady> ready, int exitCode, string error)
    {
        RecordExit(exitCode, error);
        ready(new MonitorReady { Ok = false, Error = error, ExitCode = exitCode });
        _finished.TrySetResult(exitCode);
        Cleanup();
        return 0;
    }

    /// <summary>First start, before the init is released: the cgroup and its limits (the init joins it once released).</summary>
    private void PrepareCgroup()
    {
        _cgroup?.Create();
        if (_resources is not null) _cgroup?.Apply(_resources);
    }

    /// <summary>First start, before anyone hears "ready": the control socket and its path in state.json.</summary>
    private void PrepareControl()
    {
        StartControlServer();
        UpdateState(_ => { });
    }

    /// <summary>
    /// Launches the process; while it starts up, runs <paramref name="beforeGo"/>, joins it to the
    /// cgroup (v2) and waits for the network; releases it; while it sets up its root and execs,
    /// runs <paramref name="afterGo"/> and starts the output pump; then records Running.
    /// </summary>
    /// <remarks>
    /// Only what the init needs waits before the go byte: on two CPUs the init's start-up and this
    /// process's set-up often share one, so whatever can overlap the init's own work after the
    /// release (its mounts, pivot_root, exec: ~1.5 ms) is done then. A process held for an attach,
    /// or started by runc/crun (no go byte; their stderr carries a start error until then), has
    /// everything set up before the release instead.
    /// </remarks>
    private (bool Ok, int ExitCode, string? Error) StartOnce(Action? beforeGo = null, Action? afterGo = null, bool awaitNetwork = false, Action<int>? beforeRelease = null, Action<int>? running = null)
    {
        // v1 hierarchies: the init joins them itself, before exec (CgroupSelfJoin: no wait for the
        // kernel's global migration lock). The rest (v2; hybrid's unified tree) by PID below.
        var builtin = _config.Runtime is "builtin" or "";
        var selfJoin = builtin && _cgroup is not null ? _cgroup.SelfJoinFiles : Array.Empty<string>();
        LaunchResult launch;
        try
        {
            launch = TakePrelaunch(selfJoin) ?? ContainerLauncher.Launch(_config, _shimPath, selfJoin);
        }
        catch (Exception ex)
        {
            return (false, 125, ex.Message);
        }
        try
        {
            beforeGo?.Invoke();
            // v2: before the release, so the entrypoint runs under its limits from the first instruction.
            if (builtin && selfJoin.Count == 0) _cgroup?.AddProcess(launch.Pid);
            launch.CompleteSetUp?.Invoke();
        }
        catch (Exception ex)
        {
            KillAndReap(launch);
            return (false, 125, ex.Message);
        }

        // Current from here: an early attach (WaitForAttach) can already feed its stdin.
        Task<int> exited;
        lock (_stateGate)
        {
            _current = launch;
            _exited = NewExit();
            exited = _exited.Task;
        }
        _pumps.Clear();
        if (awaitNetwork && AwaitNetwork() is { } networkError)
        {
            lock (_stateGate) _current = null;
            KillAndReap(launch);
            return (false, 125, networkError);
        }
        var external = launch.PidFile is not null;
        var early = beforeRelease is not null || external;
        Exception? setupFailure = null;
        void SetUpAround()
        {
            try { afterGo?.Invoke(); }
            catch (Exception ex) { setupFailure = ex; }
            // A thread: started while the process is still held or setting up, so its start-up
            // is neither on the start path nor between the exit and its wait. Not for runc/crun
            // before they have started the container (Release reads their stderr).
            if (!external) StartPumps(launch);
            // Hybrid mode's unified tree: joined late by PID, and not at all by a short-lived container.
            if (builtin && selfJoin.Count > 0 && _cgroup!.HasHierarchiesBeyondSelfJoin) JoinBeyondSelfJoin(launch.Pid, exited);
        }
        _released.Reset();
        if (early) SetUpAround();
        beforeRelease?.Invoke(launch.Pid);
        // Read before the process can run: a quick OOM kill must not be counted in "before".
        _oomBefore = SafeOomKills();
        var (ok, code, error) = ContainerLauncher.Release(launch, afterGo: early ? null : SetUpAround);
        _released.Set();
        if (ok && setupFailure is not null)
        {
            SpawnNative.kill(launch.Pid, 9);
            (ok, code, error) = (false, 125, setupFailure.Message);
        }
        if (!ok)
        {
            lock (_stateGate) _current = null;
            Spawner.Wait(launch.Pid);
            JoinPumps(); // they read EOF now that the process is gone; then its streams can close
            launch.Dispose();
            return (false, code, error);
        }
        UpdateState(s =>
        {
            s.Status = ContainerStatus.Running;
            s.Pid = launch.ContainerPid;
            s.StartedAt = DateTimeOffset.UtcNow;
            s.FinishedAt = null;
            s.Error = null;
            s.ExitCode = 0;
            s.OomKilled = false;
        });
        if (external) StartPumps(launch);
        running?.Invoke(launch.ContainerPid);
        return (true, 0, null);
    }

    private InitPrelaunch? _prelaunch;

    /// <summary>The head start's launch, once (the first start); null when there is none or it does not fit this container.</summary>
    private LaunchResult? TakePrelaunch(IReadOnlyList<string> selfJoin)
    {
        var prelaunch = _prelaunch;
        _prelaunch = null;
        return prelaunch?.TryTake(_config, selfJoin);
    }

    /// <summary>Set once the current process has been released (its v1 self-join is done or under way).</summary>
    private readonly ManualResetEventSlim _released = new();

    /// <summary>
    /// Waits for the engine's word on the network (one line on stdin: "ok", or the error), so
    /// the CNI ADDs ran while this process and the init started. Then the network.json copy the
    /// teardown falls back on is read: it exists only from now on. Null when the network is up.
    /// </summary>
    private string? AwaitNetwork()
    {
        // The engine answers within its own wait for "ready" (60 s).
        var text = MonitorMain.ReadStdinLine(TimeSpan.FromSeconds(60));
        // Nothing more comes on stdin: let the engine's end of the pipe go.
        MonitorMain.RedirectToDevNull(0);
        if (text == "ok")
        {
            _networkSnapshot = ReadNetworkSnapshot(_config.NetworkFile);
            return null;
        }
        return string.IsNullOrEmpty(text) ? "the engine stopped before the container's network was set up" : text;
    }

    private Thread? _lateJoin;
    private long _oomBefore;

    /// <summary>
    /// Hybrid mode: the unified tree (no controllers or limits of ours there; runc joins it too)
    /// is joined by PID on a short-lived thread after the start, so its ~10 ms wait for the
    /// kernel's migration lock is off the start path. A process that has exited meanwhile is
    /// not an error. <see cref="Cleanup"/> waits for it before removing the cgroup.
    /// </summary>
    /// <remarks>
    /// Started while the init sets up (a thread start is then off the start path). It waits for
    /// the release to be over — a migration by PID holds the kernel's cgroup lock through an RCU grace period,
    /// and the init's own v1 joins must not queue behind it — and then for
    /// <see cref="LateJoinDelay"/>: a container that ends by then is never moved (nothing of ours
    /// is in that tree; the wait would only hold up its clean-up and an -AutoRemove run's return).
    /// </remarks>
    private void JoinBeyondSelfJoin(int pid, Task<int> exited)
    {
        var cgroup = _cgroup!;
        _lateJoin = new Thread(() =>
        {
            _released.Wait();
            if (exited.Wait(LateJoinDelay)) return;
            try { cgroup.AddProcessBeyondSelfJoin(pid); }
            catch (CgroupException) { }
        }, 64 * 1024) { IsBackground = true, Name = "cgroup-join" };
        _lateJoin.Start();
    }

    private static readonly TimeSpan LateJoinDelay = TimeSpan.FromMilliseconds(100);

    private static void KillAndReap(LaunchResult launch)
    {
        SpawnNative.kill(launch.Pid, 9);
        Spawner.Wait(launch.Pid);
        launch.Dispose();
    }

    private readonly List<Thread> _pumps = new();

    private void StartPumps(LaunchResult launch)
    {
        // One thread for both streams, polling them: each thread start costs its creator a wait
        // for the new thread to run (~0.3-1 ms on a busy machine), and this is the start path.
        // With a terminal made in the container, the thread is started all the same and waits
        // for the master, which arrives during the release.
        var t = new Thread(() =>
        {
            var sources = launch.AwaitTerminal() is { } pty
                ? new[] { (Stream: (Stream)new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(pty.Master, ownsHandle: false), FileAccess.Read, 1), Name: "stdout", Frame: FrameType.Stdout) }
                : launch.Stdout is null ? [] // a terminal that never came: the process failed to start
                : new[] { (Stream: launch.Stdout, Name: "stdout", Frame: FrameType.Stdout), (Stream: launch.Stderr!, Name: "stderr", Frame: FrameType.Stderr) };
            PumpOutput(sources);
        }, 128 * 1024) { IsBackground = true, Name = "pump" };
        t.Start();
        _pumps.Add(t);
    }

    private void JoinPumps()
    {
        foreach (var p in _pumps) p.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>Copies each source to the log and the attached clients until all have ended.</summary>
    private unsafe void PumpOutput((Stream Stream, string Name, FrameType Frame)[] sources)
    {
        var buffer = new byte[32 * 1024];
        var open = new bool[sources.Length];
        var fds = new SpawnNative.PollFd[sources.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            open[i] = true;
            fds[i].fd = (int)((FileStream)sources[i].Stream).SafeFileHandle.DangerousGetHandle();
            fds[i].events = SpawnNative.POLLIN;
        }
        var left = sources.Length;
        while (left > 0)
        {
            for (var i = 0; i < fds.Length; i++) fds[i].revents = 0;
            int ready;
            fixed (SpawnNative.PollFd* p = fds) ready = SpawnNative.poll(p, (nuint)fds.Length, -1);
            if (ready < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4) continue; // EINTR
                return;
            }
            for (var i = 0; i < fds.Length; i++)
            {
                if (!open[i] || fds[i].revents == 0) continue;
                int n;
                try
                {
                    n = sources[i].Stream.Read(buffer, 0, buffer.Length);
                }
                catch (IOException)
                {
                    n = 0; // a pty master reads EIO once the last slave is closed: the end of output
                }
                if (n > 0)
                {
                    _log.Write(sources[i].Name, buffer.AsSpan(0, n));
                    _hub.Broadcast(sources[i].Frame, buffer.AsSpan(0, n));
                    continue;
                }
                open[i] = false;
                fds[i].fd = -1; // poll ignores negative descriptors
                left--;
            }
        }
    }

    /// <summary>Waits for the current process to exit, drains its output and records the exit.</summary>
    private int WaitForExit()
    {
        var launch = _current!;
        var status = new WaitStatus(Spawner.Wait(launch.Pid));
        JoinPumps();
        _log.Flush();
        var code = status.ShellExitCode;
        var oom = SafeOomKills() > _oomBefore;
        lock (_stateGate) _current = null;
        launch.Dispose();
        RecordExit(code, null, oom);
        return code;
    }

    private long SafeOomKills()
    {
        try { return _cgroup?.OomKills() ?? 0; }
        catch (Exception) { return 0; }
    }

    private void RecordExit(int exitCode, string? error, bool oom = false)
    {
        UpdateState(s =>
        {
            s.Status = ContainerStatus.Exited;
            s.Pid = 0;
            s.ExitCode = exitCode;
            s.Error = error;
            s.OomKilled = oom;
            s.FinishedAt = DateTimeOffset.UtcNow;
        });
        if (error is not null) _log.Write("stderr", Encoding.UTF8.GetBytes(error + "\n"));
        _log.Flush();
        _hub.Exit(exitCode);
        AnswerWaiters(exitCode);
        _exited.TrySetResult(exitCode);
    }

    private bool ShouldRestart(int exitCode)
    {
        lock (_stateGate)
        {
            if (_state.ManualStop) return false;
            return _config.RestartPolicy switch
            {
                "always" or "unless-stopped" => true,
                "on-failure" => exitCode != 0 && (_config.RestartMaxRetries == 0 || _state.RestartCount < _config.RestartMaxRetries),
                _ => false,
            };
        }
    }

    private void UpdateState(Action<ContainerStateFile> change)
    {
        lock (_stateGate)
        {
            change(_state);
            // A container removed under us (Remove-Container -Force, or its whole store deleted)
            // has nobody left to read its state: writing it would create the directory again.
            if (!Directory.Exists(_config.ContainerDir)) return;
            // No fsync: after a crash a dead monitor reads as "exited" whatever the file says.
            AtomicFile.WriteAllBytes(StatePath, MonitorJson.Write(_state), durable: false);
        }
    }

    private void Cleanup()
    {
        // The network teardown (CNI DEL: plugin and iptables execs, tens of ms) runs meanwhile:
        // it needs none of what follows, and Remove waits for this process anyway.
        var teardown = StartNetworkTeardown();
        // Requests already accepted (stop, kill, wait) get their answer before the process ends.
        // (A wake-up, not a 5 ms poll: the engine's wait for the exit is usually among them.)
        var deadline = DateTime.UtcNow.AddSeconds(3);
        lock (_inFlightGate)
        {
            while (Volatile.Read(ref _inFlight) > 0 && deadline - DateTime.UtcNow is { Ticks: > 0 } left)
                System.Threading.Monitor.Wait(_inFlightGate, left);
        }
        // Shutdown wakes the accept loop (a close alone would leave it blocked in accept).
        _listener?.Shutdown();
        _listener?.Dispose();
        if (_state.Socket is { } sock) AtomicFile.TryDelete(sock);
        _lateJoin?.Join(TimeSpan.FromSeconds(2));
        try { _cgroup?.Destroy(); } catch (Exception) { }
        if (teardown > 0) Spawner.Wait(teardown);
        _log.Dispose();
        if (_config.AutoRemove) RemoveContainer();
    }

    /// <summary>
    /// The container has stopped for good: its network goes (CNI DEL, namespace, peers' hosts
    /// entries, network.json last) — done by <c>containerps-shim netdown</c> as a child, so this
    /// long-lived process carries none of the CNI and JSON code. Its errors go to monitor.log.
    /// Returns the child's PID (0: nothing to tear down, or it could not be spawned).
    /// </summary>
    private int StartNetworkTeardown()
    {
        if (_config.NetworkFile is not { } file) return 0;
        if (_config.NetnsOnly)
        {
            // -Network none: only a namespace of ours, nothing of CNI's and no peers: unmounted
            // and unlinked here, without a netdown process (with network.json last, as netdown does).
            if (!File.Exists(file) && Directory.Exists(_config.ContainerDir)) return 0;
            if (_config.NetnsPath is { } netns) NetworkNamespace.Remove(netns);
            AtomicFile.TryDelete(file);
            return 0;
        }
        if (!File.Exists(file))
        {
            // With the container's directory still there, no network.json means none is owed.
            // Without it (the store deleted under a running container, or removed while we
            // were slow to exit) the namespace, veth, rules and lease are still set up and only
            // the copy read at start says what they are (an attachment connected later is not in it).
            if (_networkSnapshot is null || Directory.Exists(_config.ContainerDir)) return 0;
            file = Path.Combine("/run/containerps", _config.Id + ".network.json");
            try
            {
                Directory.CreateDirectory("/run/containerps");
                File.WriteAllBytes(file, _networkSnapshot); // netdown deletes it when done
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"containerps-monitor: tearing down the network of {_config.Id}: {ex.Message}");
                return 0;
            }
        }
        try
        {
            var args = new List<string> { "containerps-shim", "netdown", file, _config.Id, Path.GetDirectoryName(_config.ContainerDir)! };
            if (_config.StoreLock is { } lockPath) args.Add(lockPath);
            var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
            int pid;
            try
            {
                var fd = (int)devNull.DangerousGetHandle();
                pid = Spawner.Spawn(new SpawnRequest
                {
                    Path = _shimPath,
                    Arguments = args,
                    Environment = new[] { "PATH=" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin") },
                    Descriptors = new[] { (0, fd), (1, fd), (2, 2) },
                });
            }
            finally
            {
                devNull.Dispose();
            }
            return pid;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"containerps-monitor: tearing down the network of {_config.Id}: {ex.Message}");
            return 0;
        }
    }

    /// <summary>-AutoRemove: the container directory goes, under the store lock, renamed first so a half-deleted container is never listed.</summary>
    private void RemoveContainer()
    {
        // Already removed (by the engine, or with its store): taking the store lock would create
        // the store directory and its lock file again.
        if (!Directory.Exists(_config.ContainerDir)) return;
        try
        {
            using var held = _config.StoreLock is { } lockPath ? FileLock.AcquireIfPresent(lockPath) : null;
            if (held is null && _config.StoreLock is not null) return; // the store itself is gone
            if (!Directory.Exists(_config.ContainerDir)) return; // removed while we waited for the lock
            UpdateState(s => s.Status = ContainerStatus.Removing);
            var parent = Path.GetDirectoryName(_config.ContainerDir)!;
            var doomed = Path.Combine(parent, AtomicFile.TempPrefix + "rm-" + _config.Id);
            Directory.Move(_config.ContainerDir, doomed);
            Directory.Delete(doomed, recursive: true);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"containerps-monitor: removing container {_config.Id}: {ex.Message}");
        }
    }

    private static TaskCompletionSource<int> NewExit() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>containers/&lt;id&gt;/m.sock when it fits a sun_path (108 bytes), else /run/containerps/&lt;id&gt;.sock.</summary>
    public static string SocketPath(MonitorConfig config)
    {
        var local = Path.Combine(config.ContainerDir, "m.sock");
        if (Encoding.UTF8.GetByteCount(local) < 100) return local;
        Directory.CreateDirectory("/run/containerps");
        return Path.Combine("/run/containerps", config.Id + ".sock");
    }

    internal void SendSignal(int signal)
    {
        // Signals go to the container's PID 1 — with runc/crun not to `run`, which would die and
        // leave the container behind (it then exits when its PID 1 does).
        int pid;
        lock (_stateGate) pid = _current?.ContainerPid ?? 0;
        if (pid > 0) SpawnNative.kill(pid, signal);
    }

    internal static int Errno => Marshal.GetLastPInvokeError();
}
