using System.Text.Json;
using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.IO;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Engine.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// docker start: spawns the container's monitor, which starts the process and stays with it.
    /// Returns when the entrypoint has been exec'ed (or fails with the init's reason). Starting a
    /// running container does nothing, as in Docker. With <paramref name="waitForAttach"/> the
    /// process is held before exec until the first attach (interactive runs).
    /// </summary>
    public Container Start(string nameOrId, bool waitForAttach = false) => Start(nameOrId, waitForAttach, early: null);

    /// <param name="early">A monitor started ahead (<see cref="Run"/>), taken over: used, or ended when it cannot be.</param>
    private Container Start(string nameOrId, bool waitForAttach, MonitorStart? early)
    {
        try
        {
            return StartCore(nameOrId, waitForAttach, ref early);
        }
        finally
        {
            early?.Dispose(); // not taken (already running, refused, published ports): it exits without a trace
        }
    }

    private Container StartCore(string nameOrId, bool waitForAttach, ref MonitorStart? early)
    {
        var record = Resolve(nameOrId);
        var dir = DirOf(record.Id);
        using var containerLock = FileLock.Acquire(System.IO.Path.Combine(dir, "lock"));
        var state = ReadState(record.Id);
        if (state.Status is ContainerStatus.Exited && MonitorAlive(state.MonitorPid))
        {
            // The previous monitor is still cleaning up (socket, cgroup) after the exit: let it finish.
            WaitForMonitorExitAsync(record.Id, CancellationToken.None).GetAwaiter().GetResult();
            state = ReadState(record.Id);
        }
        if (state.Status is ContainerStatus.Running or ContainerStatus.Restarting) return ToContainer(record);
        if (state.Status == ContainerStatus.Paused)
            throw new ConflictException("ContainerPaused", $"cannot start a paused container, try unpause instead", record.Name, ErrorKind.FailedPrecondition);
        if (!ContainerStateRules.CanStart(state.Status))
            throw new ConflictException("ContainerCannotStart", $"container {record.Name} is {state.Status.ToString().ToLowerInvariant()}", record.Name, ErrorKind.FailedPrecondition);

        var policy = RestartPolicy.Parse(record.Options.RestartPolicy);
        var config = new MonitorConfig
        {
            Resources = record.Runtime is "builtin" or "" ? LimitsOf(record) : null,
            Id = record.Id,
            ContainerDir = dir,
            Bundle = System.IO.Path.Combine(dir, "bundle"),
            LogPath = System.IO.Path.Combine(dir, record.Id + "-json.log"),
            Tty = record.Options.Tty,
            OpenStdin = record.Options.Interactive,
            StdinOnce = record.Options.Interactive && waitForAttach,
            RestartPolicy = policy.Name,
            RestartMaxRetries = policy.MaximumRetryCount,
            AutoRemove = record.Options.AutoRemove,
            Runtime = record.Runtime,
            Rootfs = JsonSerializer.Deserialize(File.ReadAllBytes(System.IO.Path.Combine(dir, "rootfs.json")), MonitorJsonContext.Default.MountDescription)!,
            StoreLock = Layout.LockFile,
            WaitForAttach = waitForAttach,
        };
        var configPath = MonitorConfigPath(record.Id);
        var shim = ShimPath ?? ShimLocator.Find();

        using var network = PrepareNetwork(record);
        MonitorReady ready;
        MonitorStart? monitor = null;
        try
        {
            config.NetnsPath = network.NetnsPath;
            config.HostNetwork = network.HostNetwork;
            config.NetworkFile = network.Pending is null ? null : System.IO.Path.Combine(dir, Runtime.Networking.NetworkSetup.FileName);
            config.WaitForNetwork = network.Pending is not null;
            config.NetnsOnly = network.Pending is { OwnsNetns: true, Attachments.Count: 0, Loopback: null };
            config.PortFds = network.Ports?.Fds.Count ?? 0;
            // Rewritten by every start and read only by the monitor this start spawns: no fsync.
            AtomicFile.WriteAllBytes(configPath, JsonSerializer.SerializeToUtf8Bytes(config, MonitorJsonContext.Default.MonitorConfig), durable: false);
            if (early is not null && network.Ports is not { Fds.Count: > 0 })
            {
                (monitor, early) = (early, null);
                monitor.Configure(awaitsNetwork: config.WaitForNetwork);
            }
            else
            {
                monitor = MonitorLauncher.Spawn(shim, configPath, network.Ports?.Fds, networkPipe: config.WaitForNetwork);
            }
            if (network.Pending is not null)
            {
                // The CNI ADDs (plugin processes, tens of ms on a bridge) run while the monitor and
                // the init start up; the init is held before exec until the monitor hears "ok".
                try
                {
                    FinishNetwork(record, network);
                }
                catch (Exception ex)
                {
                    monitor.NetworkFailed(ex.Message);
                    // The monitor records the failed start (and removes an -AutoRemove container).
                    try { monitor.AwaitReady(TimeSpan.FromSeconds(60)); } catch (EngineException) { }
                    throw;
                }
                monitor.NetworkReady();
            }
            ready = monitor.AwaitReady(TimeSpan.FromSeconds(60));
        }
        catch
        {
            // No monitor took the network over (it tears down itself once it runs): undo it here.
            if (!MonitorAlive(ReadState(record.Id).MonitorPid)) AbandonNetwork(record.Id, network);
            throw;
        }
        finally
        {
            monitor?.Dispose();
        }
        // The monitor holds its own copies of the port sockets now; ours close with `network`.
        if (!ready.Ok) throw new ContainerStartException(record.Name, ready.Error ?? "unknown error", ready.ExitCode);
        return ToContainer(record);
    }

    /// <summary>
    /// The network an early monitor starts the init ahead in, or null when it should not: only
    /// for the built-in runtime, no terminal, no open stdin (the init's stdio is made at its
    /// spawn), and a network the init enters by itself — its own (none) or the host's. Not an
    /// engine-made namespace (bridge networks): its bind mount is made after the init's mount
    /// namespace was copied, so the init would not see it.
    /// </summary>
    private static string? PrelaunchNetwork(ContainerCreateOptions options)
    {
        if (options.Runtime is not (null or "" or "builtin") || options.Tty || options.Interactive) return null;
        try
        {
            return Networking.NetworkMode.Parse(options.Network).Kind switch
            {
                Networking.NetworkModeKind.None => Runtime.Init.InitNetwork.Own,
                Networking.NetworkModeKind.Host => Runtime.Init.InitNetwork.Host,
                _ => null,
            };
        }
        catch (EngineException)
        {
            return null; // Create says what is wrong with it
        }
    }

    /// <summary>containers/&lt;id&gt;/monitor.json: what the engine tells the container's monitor at each start.</summary>
    private string MonitorConfigPath(string id) => System.IO.Path.Combine(DirOf(id), "monitor.json");

    /// <summary>The bundle's cgroup limits, read at each start (so edits of config.json count, as for runc).</summary>
    private CgroupLimits? LimitsOf(ContainerRecord record)
    {
        try
        {
            return CgroupLimits.From(SpecJson.Load(System.IO.Path.Combine(DirOf(record.Id), "bundle", SpecJson.FileName)));
        }
        catch (RuntimeSpecException ex)
        {
            throw new ContainerStartException(record.Name, ex.Message, 125);
        }
    }

    /// <summary>docker run -d: create, then start.</summary>
    public Container Run(ContainerCreateOptions options, bool waitForAttach = false)
    {
        // The monitor's process start-up (exec and the NativeAOT runtime: ~1 ms) runs while the
        // container is created; it waits for its monitor.json on stdin. Not with published ports:
        // their sockets are handed to the monitor at its spawn, and they are bound at the start.
        // It is started with the monitor.json path of the container to be (the ID chosen now),
        // so its command line names its container as any monitor's does.
        var id = ContainerNames.NewId();
        var early = options.Publish.Length == 0 && !options.PublishAll
            ? MonitorLauncher.SpawnEarly(ShimPath ?? ShimLocator.Find(), MonitorConfigPath(id), PrelaunchNetwork(options))
            : null;
        Container created;
        try
        {
            created = Create(options, id);
        }
        catch
        {
            early?.Dispose(); // end of file: it exits without a trace
            throw;
        }
        try
        {
            return Start(created.Id, waitForAttach, early);
        }
        catch (ContainerStartException) when (options.AutoRemove)
        {
            // The monitor that reported the failure still tears the network down and removes
            // the container itself: let it finish first, or deleting the directory under it
            // would take the network.json its teardown reads (a leaked netns, veth and lease).
            WaitForMonitorExitAsync(created.Id, CancellationToken.None).GetAwaiter().GetResult();
            RemoveQuietly(created.Id);
            throw;
        }
    }
}
