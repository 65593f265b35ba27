using System.Diagnostics;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Cgroups;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// A throw-away store with the busybox image ("busybox:latest", CMD ["sh"]) and a
/// <see cref="ContainerManager"/> on the AOT shim, for tests that run real containers.
/// Dispose removes every container (force) and kills whatever is left in their cgroups, even
/// when the test failed half-way, so a failing test never leaks processes or mounts.
/// </summary>
public sealed class ContainerHarness : IDisposable
{
    private readonly TempStore _store = new();
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);

    public ContainerHarness()
    {
        Containers = NewManager();
        Import("busybox:latest", "CMD [\"sh\"]");
    }

    public TempStore Store => _store;
    public ContainerManager Containers { get; }

    /// <summary>A second manager on the same store, as another shell would have.</summary>
    public ContainerManager NewManager() => new(_store.Layout, new Engine.Images.ImageStore(_store.Layout)) { ShimPath = ShimLocator.Find() };

    /// <summary>Imports the busybox rootfs as <paramref name="reference"/> with docker import --change instructions.</summary>
    public void Import(string reference, params string[] changes)
    {
        var tar = _store.PathFor("busybox.tar");
        if (!File.Exists(tar)) BusyboxRootfs.Write(tar);
        _store.Images.ImportAsync(tar, reference, changes, null, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>containers/&lt;id&gt;/ in the store.</summary>
    public string DirOf(string id) => Path.Combine(_store.Layout.Containers, id);

    /// <summary>docker run -d with the busybox image unless the options name another.</summary>
    public Container Run(ContainerCreateOptions options)
    {
        if (string.IsNullOrEmpty(options.Image)) options.Image = "busybox";
        var c = Containers.Run(options);
        _created.Add(c.Id);
        return c;
    }

    public Container Run(params string[] command) => Run(new ContainerCreateOptions { Command = command });

    /// <summary>Runs the container to its end (at most <paramref name="timeoutSeconds"/>) and returns its exit code and log.</summary>
    public async Task<RunResult> RunToEnd(ContainerCreateOptions options, int timeoutSeconds = 10)
    {
        var c = Run(options);
        var code = await Wait(c.Id, timeoutSeconds);
        var (stdout, stderr) = await Logs(c.Id);
        return new RunResult(c.Id, code, stdout, stderr);
    }

    public Task<RunResult> RunToEnd(params string[] command) => RunToEnd(new ContainerCreateOptions { Command = command });

    // The monitor can exit before it has answered a request the container's exit completed
    // (see MonitorReplyRaceTests, which test that on its own): these helpers fall back to the
    // state file then, so other tests test what they are about.

    /// <summary>docker wait, at most <paramref name="timeoutSeconds"/>.</summary>
    public async Task<int> Wait(string id, int timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            return await Containers.WaitAsync(id, cts.Token);
        }
        catch (Exception ex) when (IsDroppedReply(ex))
        {
            return (await Settled(id, TimeSpan.FromSeconds(timeoutSeconds))).ExitCode;
        }
    }

    /// <summary>docker stop; the container once it has exited.</summary>
    public Task<Container> Stop(string id, int timeoutSeconds = 5, string? signal = null) => Stop(Containers, id, timeoutSeconds, signal);

    /// <summary>docker stop through <paramref name="manager"/>; the container once it has exited.</summary>
    public async Task<Container> Stop(ContainerManager manager, string id, int timeoutSeconds = 5, string? signal = null)
    {
        try
        {
            return await manager.StopAsync(id, timeoutSeconds, signal, CancellationToken.None);
        }
        catch (Exception ex) when (IsDroppedReply(ex))
        {
            return await Settled(id, TimeSpan.FromSeconds(timeoutSeconds + 3));
        }
    }

    /// <summary>docker kill (SIGKILL unless <paramref name="signal"/>); with SIGKILL, the container once it has exited.</summary>
    public async Task<Container> Kill(string id, string? signal = null)
    {
        try
        {
            return await Containers.KillAsync(id, signal, CancellationToken.None);
        }
        catch (Exception ex) when (IsDroppedReply(ex))
        {
            return await Settled(id, TimeSpan.FromSeconds(3));
        }
    }

    private static bool IsDroppedReply(Exception ex) =>
        ex is IOException || ex is EngineException { ErrorId: "MonitorGone" or "MonitorUnreachable" };

    /// <summary>The container's log so far, split by stream; lines joined with "\n".</summary>
    public async Task<(string Stdout, string Stderr)> Logs(string id)
    {
        var stdout = new List<string>();
        var stderr = new List<string>();
        await foreach (var line in Containers.ReadLogsAsync(id, new LogReadOptions(), CancellationToken.None))
            (line.Stream == "stderr" ? stderr : stdout).Add(line.Text.TrimEnd('\n'));
        return (string.Join("\n", stdout), string.Join("\n", stderr));
    }

    /// <summary>
    /// Waits until the container's stdout log has <paramref name="text"/>: "running" means the
    /// entrypoint was exec'ed, not that a shell has run its first line (a trap set there).
    /// </summary>
    public async Task WaitForOutput(string id, string text, int timeoutSeconds = 10)
    {
        var seen = await Eventually(() => Logs(id).GetAwaiter().GetResult().Stdout.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(timeoutSeconds));
        Assert.True(seen, $"\"{text}\" not in the output within {timeoutSeconds} s");
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms; false when it did not hold within the timeout.</summary>
    public static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    /// <summary>Waits until the container is not running and its monitor is gone (restart policies done).</summary>
    public async Task<Container> Settled(string id, TimeSpan timeout)
    {
        await Eventually(() => !Containers.TryGet(id, out var c) || !c!.Running && !MonitorProcessAlive(id), timeout);
        return Containers.Get(id);
    }

    /// <summary>Host PIDs whose command line mentions <paramref name="text"/> (the container ID: its monitor and init).</summary>
    public static List<int> ProcessesMentioning(string text)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(text, StringComparison.Ordinal)) result.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }

    public static bool MonitorProcessAlive(string id) =>
        ProcessesMentioning(id).Any(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
            }
            catch (IOException) { return false; }
        });

    public void Dispose()
    {
        try
        {
            foreach (var c in Containers.List(all: true)) _created.Add(c.Id);
        }
        catch (EngineException) { }
        foreach (var id in _created)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    if (!Containers.TryGet(id, out _)) break;
                    Containers.RemoveAsync(id, force: true, CancellationToken.None).GetAwaiter().GetResult();
                    break;
                }
                catch (EngineException) { Thread.Sleep(100); }
                catch (IOException) { Thread.Sleep(100); }
            }
            // A monitor finishing its own clean-up (an -AutoRemove container deleting its
            // directory) is let finish: killed, or with the store deleted under it, it left
            // pieces of the store behind.
            Eventually(() => !MonitorProcessAlive(id), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            KillLeftovers(id);
        }
        _store.Dispose();
    }

    /// <summary>Whatever a failed removal left: processes in the cgroup, the cgroup itself.</summary>
    private static void KillLeftovers(string id)
    {
        try
        {
            var cgroup = CgroupManagerFactory.For(id);
            if (!cgroup.Exists) return;
            try { cgroup.Thaw(); } catch (CgroupException) { }
            foreach (var pid in cgroup.Processes())
            {
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
            cgroup.Destroy(TimeSpan.FromSeconds(2));
        }
        catch (CgroupException) { }
        catch (IOException) { }
        foreach (var pid in ProcessesMentioning(id))
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }
}
