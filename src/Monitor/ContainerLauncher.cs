using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Monitor;

/// <summary>
/// Starts a container's process. The built-in runtime: a dedicated thread unshares the
/// container's namespaces, mounts the rootfs in the new (private) mount namespace — no mount
/// is ever visible on the host, and it disappears with the container — and posix_spawns this
/// same binary in init mode as PID 1, held before exec on a sync pipe; with a terminal, the init
/// makes it inside the container and sends the master back on a console socket. With an external OCI
/// runtime (runc, crun) the thread unshares only a mount namespace for the rootfs mount and
/// runs `&lt;runtime&gt; run --pid-file` on the same bundle; <see cref="Release"/> then waits until
/// the runtime has started the container (the PID file) or has failed (its exit, with its error).
/// </summary>
public static class ContainerLauncher
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWPID = 0x20000000;

    /// <summary>The namespaces every built-in container gets from the thread that spawns its init (the network is <see cref="InitNetwork"/>'s).</summary>
    internal const int BuiltinNamespaces = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID;

    /// <param name="cgroupTaskFiles">The v1 <c>tasks</c> files the init joins by itself before exec (<see cref="ContainerPS.Runtime.Cgroups.CgroupSelfJoin"/>).</param>
    public static LaunchResult Launch(MonitorConfig config, string shimPath, IReadOnlyList<string> cgroupTaskFiles)
    {
        ChildStdio? stdio = null;
        Pipe? go = null, errors = null;
        string? pidFile = null;
        try
        {
            var builtin = config.Runtime is "builtin" or "";
            // runc and crun are handed a host pty: `run` makes the container's own inside and proxies it.
            stdio = ChildStdio.Open(config.Tty, config.OpenStdin, consoleSocket: builtin);
            var descriptors = new List<(int, int)>(stdio.Descriptors);

            var rootfs = RootfsOf(config);
            int pid;
            if (builtin)
            {
                (go, errors) = (Pipe.Create(), Pipe.Create());
                descriptors = InitDescriptors(stdio, go, errors);
                pid = Spawner.RunInNewNamespaces(BuiltinNamespaces, () =>
                {
                    InitNetwork.Enter(InitNetwork.For(config.NetnsPath, config.HostNetwork));
                    MountRootfs(config.Rootfs, rootfs);
                    return Spawner.Spawn(new SpawnRequest
                    {
                        Path = shimPath,
                        Arguments = new[] { "containerps-shim", "init", config.Bundle, config.Tty ? "tty" : "notty" }.Concat(cgroupTaskFiles).ToArray(),
                        Environment = Array.Empty<string>(),
                        Descriptors = descriptors,
                    });
                });
            }
            else
            {
                var runtime = OciRuntimeProcess.Find(config.Runtime) ?? throw new InvalidOperationException($"OCI runtime \"{config.Runtime}\" not found on PATH (apt-get install {config.Runtime})");
                var stateRoot = OciRuntimeProcess.StateRoot(config.Runtime);
                DeleteStaleRuntimeState(runtime, config.Runtime, stateRoot, config.Id);
                pidFile = Path.Combine(config.ContainerDir, "runtime.pid");
                File.Delete(pidFile); // a previous run's (restart policy): only this run's may release Start
                pid = Spawner.RunInNewNamespaces(CLONE_NEWNS, () =>
                {
                    // config.json names the namespace too; joining it here as well makes runc
                    // and crun agree with the built-in runtime whatever the spec says.
                    if (config.NetnsPath is { } netns) InitNetwork.Enter(netns);
                    MountRootfs(config.Rootfs, rootfs);
                    return Spawner.Spawn(new SpawnRequest
                    {
                        Path = runtime,
                        Arguments = new[] { config.Runtime, "--root", stateRoot, "run", "--bundle", config.Bundle, "--pid-file", pidFile, config.Id },
                        Environment = OciRuntimeProcess.Environment,
                        Descriptors = descriptors,
                    });
                });
            }

            return Handover(pid, stdio, go, errors, pidFile, pidFile is null ? null : config.Runtime);
        }
        catch
        {
            go?.Dispose();
            errors?.Dispose();
            throw;
        }
        finally
        {
            stdio?.Dispose(); // closes only what was not taken
        }
    }

    /// <summary>
    /// Releases the init (one byte on the go pipe) and waits for the verdict: EOF means the
    /// entrypoint was exec'ed; text is the init's error ("127 exec: \"x\": executable file
    /// not found in $PATH"), returned with the exit code Docker reports for it.
    /// </summary>
    /// <param name="afterGo">Run once the process is released, while it finishes its set-up and execs.</param>
    public static (bool Ok, int ExitCode, string? Error) Release(LaunchResult launch, Action? afterGo = null)
    {
        if (launch.PidFile is { } pidFile)
        {
            afterGo?.Invoke();
            return OciRuntimeProcess.AwaitStart(launch.Runtime!, launch.Pid, pidFile, launch.Stderr, launch.Pty);
        }
        if (launch.Go is null)
        {
            afterGo?.Invoke();
            return (true, 0, null);
        }
        var (go, errors) = (launch.Go, launch.Errors!);
        launch.Go = null;
        launch.Errors = null;
        // With a terminal the init sends its master before it execs (or fails): received after the
        // monitor's own set-up, which overlaps the init's mounts.
        var overlap = launch.Console is null ? afterGo : () =>
        {
            afterGo?.Invoke();
            launch.ReceiveTerminal();
        };
        var verdict = StartHandshake.Release(go, errors, defaultExitCode: 127, overlap, size: launch.TerminalSizeForRelease());
        if (verdict.Ok) AwaitExecVisible(launch.Pid);
        return verdict;
    }

    /// <summary>
    /// The error pipe reads EOF when execve closes close-on-exec descriptors, which is before
    /// the kernel has set up the new program's arguments: /proc/&lt;pid&gt;/cmdline is still empty
    /// for a few microseconds. Whoever hears "started" (docker top, tests) must see the
    /// entrypoint, so wait for it (bounded; a process that already exited — a zombie, whose
    /// cmdline reads empty for good — is done too).
    /// </summary>
    private static void AwaitExecVisible(int pid)
    {
        var cmdline = "/proc/" + pid + "/cmdline";
        var stat = "/proc/" + pid + "/stat";
        var buffer = new byte[512];
        var deadline = Environment.TickCount64 + 100;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                var n = ReadSome(cmdline, buffer);
                if (n > 0 && !buffer.AsSpan(0, n).StartsWith("containerps-shim\0init"u8)) return;
                // "pid (comm) S ...": the state follows the last ')'.
                n = ReadSome(stat, buffer);
                var close = buffer.AsSpan(0, n).LastIndexOf((byte)')');
                if (close >= 0 && close + 2 < n && buffer[close + 2] is (byte)'Z' or (byte)'X') return;
            }
            catch (IOException)
            {
                return; // gone already
            }
            Thread.Sleep(0);
        }
    }

    private static int ReadSome(string path, byte[] buffer)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        return f.Read(buffer, 0, buffer.Length);
    }

    /// <summary>
    /// The runtime's state of an earlier run of this container, left when that run was killed
    /// (`run` removes it when the container ends normally): `run` refuses an ID that exists.
    /// </summary>
    private static void DeleteStaleRuntimeState(string runtimePath, string runtime, string stateRoot, string id)
    {
        if (!Directory.Exists(Path.Combine(stateRoot, id))) return;
        var devNull = OpenDevNull();
        try
        {
            var pid = Spawner.Spawn(new SpawnRequest
            {
                Path = runtimePath,
                Arguments = new[] { runtime, "--root", stateRoot, "delete", "--force", id },
                Environment = OciRuntimeProcess.Environment,
                Descriptors = new[] { (0, devNull), (1, devNull), (2, devNull) },
            });
            Spawner.Wait(pid);
        }
        finally
        {
            SpawnNative.close(devNull);
        }
    }

    /// <summary>Where the container's rootfs is mounted: the bundle's rootfs directory.</summary>
    internal static string RootfsOf(MonitorConfig config) => Path.Combine(config.Bundle, "rootfs");

    /// <summary>The init's descriptors: its stdio, 3 the go pipe, 4 the error pipe, 5 the console socket (with a terminal).</summary>
    internal static List<(int, int)> InitDescriptors(ChildStdio stdio, Pipe go, Pipe errors)
    {
        var descriptors = new List<(int, int)>(stdio.Descriptors) { (3, go.ReadFd), (4, errors.WriteFd) };
        if (stdio.ConsoleChildFd >= 0) descriptors.Add((5, stdio.ConsoleChildFd));
        return descriptors;
    }

    /// <summary>A spawned process's launch: the monitor keeps its own ends of the pipes, the child's copies close here.</summary>
    internal static LaunchResult Handover(int pid, ChildStdio stdio, Pipe? go, Pipe? errors, string? pidFile = null, string? runtime = null, Action? completeSetUp = null)
    {
        stdio.CloseChildEnds();
        go?.CloseRead();
        errors?.CloseWrite();
        return new LaunchResult(stdio.TakePty(), stdio.TakeConsole())
        {
            Pid = pid,
            Stdin = stdio.TakeStdin(),
            Stdout = stdio.TakeStdout(),
            Stderr = stdio.TakeStderr(),
            Go = go?.TakeWriter(),
            Errors = errors?.TakeReader(),
            PidFile = pidFile,
            Runtime = runtime,
            CompleteSetUp = completeSetUp,
        };
    }

    /// <summary>
    /// The rootfs mount in the calling thread's (new) mount namespace: made private first, then
    /// the overlay, with the short lowerdir links resolved from the layers directory.
    /// </summary>
    internal static void MountRootfs(MountDescription rootfs, string target)
    {
        // Nothing mounted from here on may propagate back to the host.
        if (SpawnNative.mount(null, "/", null, SpawnNative.MS_REC | SpawnNative.MS_PRIVATE, null) != 0)
            throw Error("mount --make-rprivate", "/");
        if (rootfs.WorkingDirectory is { } cwd && SpawnNative.chdir(cwd) != 0) throw Error("chdir", cwd);
        if (SpawnNative.mount(rootfs.Source, target, rootfs.Type, 0, rootfs.Data) != 0)
            throw Error($"mount {rootfs.Type} on", target);
    }

    private static int OpenDevNull()
    {
        var handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var fd = (int)handle.DangerousGetHandle();
        handle.SetHandleAsInvalid(); // ownership moves to the raw fd
        return fd;
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
