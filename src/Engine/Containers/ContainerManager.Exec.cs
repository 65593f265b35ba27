using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spawning;
using ContainerPS.Runtime.Spec;
using ContainerPS.Runtime.Terminal;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker exec: runs a command inside a running container — in all its namespaces, in its
    /// cgroup, as its user (or <see cref="ExecOptions.User"/>) with its capabilities — streams the
    /// output to <see cref="AttachStreams.Output"/> and returns the exit code. A command that
    /// cannot start throws <see cref="ContainerStartException"/> (126/127, as docker exec).
    /// </summary>
    public async Task<int> ExecAsync(string nameOrId, ExecOptions options, AttachStreams streams, CancellationToken cancellationToken)
    {
        if (options.Command.Count == 0) throw new InvalidArgumentException("NoCommandSpecified", "exec: no command specified", nameOrId);
        var record = Resolve(nameOrId);
        var state = ReadState(record.Id);
        ContainerStateRules.EnsureRunning(ToContainer(record), "running a command in it");
        var request = BuildExecRequest(record, state.Pid, options);
        // Set by the shim on the terminal it makes, before the command runs (a program asking at once must not find 0x0).
        if (options.Tty && streams.Size is { } size) (request.ConsoleRows, request.ConsoleCols) = size;
        var external = record.Runtime is not ("builtin" or "");
        // runc/crun: the process file and the PID file they are given, beside the container's other files.
        var runtimeFiles = external ? System.IO.Path.Combine(DirOf(record.Id), "exec-" + Guid.NewGuid().ToString("N")[..12]) : null;
        try
        {
            using var launch = external ? LaunchWithRuntime(record, request, runtimeFiles!) : LaunchBuiltin(record, state.Pid, request);
            var (ok, code, error) = launch.Release();
            if (!ok)
            {
                Spawner.Wait(launch.Pid);
                throw new ContainerStartException(record.Name, error ?? "exec failed", code);
            }
            return await RelayAsync(launch, options, streams, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (runtimeFiles is not null)
            {
                AtomicFile.TryDelete(runtimeFiles + ".json");
                AtomicFile.TryDelete(runtimeFiles + ".pid");
            }
        }
    }

    private ExecLauncher LaunchBuiltin(ContainerRecord record, int pid, ExecRequest request)
    {
        var cgroup = CgroupManagerFactory.For(record.Id);
        // v1 (and hybrid's v1 hierarchies): joined by the spawning thread itself, no migration by PID.
        var selfJoin = cgroup.SelfJoinFiles;
        ExecLauncher launch;
        try
        {
            launch = ExecLauncher.Launch(ShimPath ?? ShimLocator.Find(), pid, request, selfJoin);
        }
        catch (CgroupException ex)
        {
            // The container's cgroup is gone: it exited meanwhile.
            throw new ConflictException("ContainerNotRunning", $"Container {record.Id} is not running ({ex.Message})", record.Name, ErrorKind.FailedPrecondition);
        }
        try
        {
            if (selfJoin.Count == 0) cgroup.AddProcess(launch.Pid); // v2: whole processes only, before the release
        }
        catch (CgroupException)
        {
            // The container may have exited meanwhile; the exec then fails on its own below.
        }
        // Hybrid mode's unified tree (nothing of ours is limited there): by PID, off the exec's
        // path — its wait for the kernel's migration lock would otherwise be the exec's longest step.
        if (selfJoin.Count > 0 && cgroup.HasHierarchiesBeyondSelfJoin)
            _ = Task.Run(() =>
            {
                try { cgroup.AddProcessBeyondSelfJoin(launch.Pid); }
                catch (CgroupException) { } // exited already
            });
        return launch;
    }

    /// <summary>
    /// runc/crun exec: the same process as the built-in runtime's (the container's spec process —
    /// capabilities, rlimits, no_new_privs… — with this exec's command, user, directory,
    /// environment and terminal), as the --process file they take.
    /// </summary>
    private ExecLauncher LaunchWithRuntime(ContainerRecord record, ExecRequest request, string files)
    {
        if (OciRuntimeProcess.Find(record.Runtime) is null)
            throw new ConflictException("RuntimeNotFound", $"OCI runtime \"{record.Runtime}\" not found on PATH (apt-get install {record.Runtime})", record.Name, ErrorKind.FailedPrecondition);
        var spec = SpecJson.Load(System.IO.Path.Combine(DirOf(record.Id), "bundle", SpecJson.FileName));
        var process = spec.Process ?? new SpecProcess();
        process.Args = request.Args.ToList();
        process.Env = request.Env.ToList();
        process.Cwd = request.Cwd;
        process.User = new SpecUser { Uid = request.Uid, Gid = request.Gid, Umask = process.User.Umask, AdditionalGids = request.AdditionalGids.ToList() };
        process.Terminal = request.Tty;
        process.ConsoleSize = request.Tty && request.ConsoleRows > 0 ? new SpecConsoleSize { Height = (uint)request.ConsoleRows, Width = (uint)request.ConsoleCols } : null;
        AtomicFile.WriteAllBytes(files + ".json", SpecJson.SerializeToUtf8Bytes(process), durable: false);
        var size = request.ConsoleRows > 0 ? (request.ConsoleRows, request.ConsoleCols) : ((int, int)?)null;
        return ExecLauncher.LaunchWithRuntime(record.Runtime, record.Id, files + ".json", files + ".pid", request.Tty, size);
    }

    /// <summary>Streams the started process's output (and input, sizes) until it exits; returns its exit code.</summary>
    private static async Task<int> RelayAsync(ExecLauncher launch, ExecOptions options, AttachStreams streams, CancellationToken cancellationToken)
    {
        var pumps = new List<Task>();
        // The input copy ends with the process: a read left pending on the caller's terminal
        // would take the next keys typed at the prompt.
        using var inputDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task input = Task.CompletedTask, resizes = Task.CompletedTask;
        FileStream? ptyMaster = null;
        if (launch.Pty is { } pty)
        {
            ptyMaster = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(pty.Master, ownsHandle: false), FileAccess.ReadWrite, 1);
            var master = ptyMaster;
            pumps.Add(Blocking(() => Pump(master, "stdout", streams)));
            if (options.Interactive && streams.Stdin is not null)
                input = Task.Run(() => CopyIn(streams.Stdin, master, closeAfter: false, inputDone.Token), CancellationToken.None);
            if (streams.Resizes is { } changes)
                resizes = Task.Run(() => ForwardResizes(changes, launch, inputDone.Token), CancellationToken.None);
        }
        else if (launch.Stdout is not null) // (a TTY whose master never came has no output to relay)
        {
            pumps.Add(Blocking(() => Pump(launch.Stdout, "stdout", streams)));
            pumps.Add(Blocking(() => Pump(launch.Stderr!, "stderr", streams)));
            if (launch.Stdin is { } stdin)
            {
                if (options.Interactive && streams.Stdin is not null)
                    input = Task.Run(() => CopyIn(streams.Stdin, stdin, closeAfter: true, inputDone.Token), CancellationToken.None);
                else
                    stdin.Dispose();
            }
        }

        using var registration = cancellationToken.Register(launch.Kill);
        var status = await Blocking(() => new WaitStatus(Spawner.Wait(launch.Pid))).ConfigureAwait(false);
        // Output ends when every holder of the write ends is gone (the exec'ed process and its children).
        await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        inputDone.Cancel();
        // Streams that ignore cancellation (a blocking pipe) are left behind rather than waited for.
        await Task.WhenAny(Task.WhenAll(input, resizes), Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
        if (ptyMaster is not null) await ptyMaster.DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return status.ShellExitCode;
    }

    // Reads that block for the whole exec get threads of their own: on the thread pool they
    // would hold back everything else queued there (the window-size handler, the input copy)
    // until the pool grows, which on a two-core machine took seconds.
    private static Task Blocking(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> Blocking<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task ForwardResizes(ChannelReader<(int Rows, int Cols)> changes, ExecLauncher launch, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (rows, cols) in changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                launch.Resize(rows, cols);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The process ended (or its terminal went away) meanwhile.
        }
    }

    private static void Pump(Stream source, string stream, AttachStreams streams)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0) streams.Output(stream, buffer.AsMemory(0, n));
        }
        catch (IOException)
        {
            // pty master: EIO once the last slave closed
        }
    }

    private static async Task CopyIn(Stream from, Stream to, bool closeAfter, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            if (closeAfter) await to.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The exec'ed process: the container's spec process (env, user, caps) adjusted by the options.</summary>
    private ExecRequest BuildExecRequest(ContainerRecord record, int pid, ExecOptions options)
    {
        var spec = SpecJson.Load(System.IO.Path.Combine(DirOf(record.Id), "bundle", SpecJson.FileName));
        var process = spec.Process ?? new SpecProcess();
        var env = new List<string>(process.Env ?? new List<string>());
        foreach (var (key, value) in options.Environment)
        {
            ContainerSpecBuilder.ValidateEnvironmentName(key);
            env.RemoveAll(e => e.StartsWith(key + "=", StringComparison.Ordinal));
            var v = value ?? Environment.GetEnvironmentVariable(key);
            if (v is not null) env.Add(key + "=" + v);
        }
        if (options.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) env.Add("TERM=xterm");

        var user = process.User;
        if (options.User is { } userSpec)
        {
            // The running container's own /etc/passwd, through its root as the kernel sees it.
            var (resolved, home) = ContainerSpecBuilder.ResolveUser(userSpec, new DirectoryRootfsReader($"/proc/{pid}/root"));
            user = resolved;
            env.RemoveAll(e => e.StartsWith("HOME=", StringComparison.Ordinal));
            env.Add("HOME=" + home);
        }
        var cwd = options.WorkingDir ?? process.Cwd;
        if (!cwd.StartsWith('/'))
            throw new InvalidArgumentException("InvalidWorkingDirectory", $"the working directory '{cwd}' is invalid, it needs to be an absolute path", cwd);
        var caps = process.Capabilities;
        return new ExecRequest
        {
            Args = options.Command.ToList(),
            Env = env,
            Cwd = cwd,
            Uid = user.Uid,
            Gid = user.Gid,
            AdditionalGids = user.AdditionalGids ?? new List<uint>(),
            Bounding = caps?.Bounding ?? new List<string>(),
            Effective = caps?.Effective ?? new List<string>(),
            Permitted = caps?.Permitted ?? new List<string>(),
            Inheritable = caps?.Inheritable ?? new List<string>(),
            Ambient = caps?.Ambient ?? new List<string>(),
            NoNewPrivileges = process.NoNewPrivileges,
            Tty = options.Tty,
        };
    }
}
