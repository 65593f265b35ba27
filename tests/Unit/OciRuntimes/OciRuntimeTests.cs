using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.OciRuntimes;

/// <summary>
/// The same bundle run by the built-in runtime, runc and crun (where installed): the same
/// observable container (PID 1, host name, capabilities, uid), the same exit codes, stop, and
/// the same config.json, which runc and crun read unmodified from the bundle. Every test also
/// checks that nothing is left behind: runtime state, mounts, cgroups, processes.
/// </summary>
[Collection("Containers")]
public sealed partial class OciRuntimeTests : IDisposable
{
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go) as a CapEff mask.</summary>
    private const string DockerDefaultCapEff = "00000000a80425fb";

    private readonly TempStore _t = new();
    private readonly ContainerManager _containers;

    public OciRuntimeTests()
    {
        _containers = new ContainerManager(_t.Layout, _t.Images) { ShimPath = ShimLocator.Find() };
        _t.Images.ImportAsync(BusyboxRootfs.Write(_t.PathFor("busybox.tar")), "busybox:latest",
            new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        foreach (var c in _containers.List(all: true))
        {
            try { _containers.RemoveAsync(c.Id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (EngineException) { }
        }
        _t.Dispose();
    }

    private static string? RuntimeOption(string runtime) => runtime == "builtin" ? null : runtime;

    /// <summary>
    /// One test's containers on one runtime. Disposing removes them and then scrubs whatever a
    /// failure left (runtime state, processes, cgroups) before crun's cgroup workaround is undone,
    /// so a failing test still leaves the machine as it found it.
    /// </summary>
    private sealed class RuntimeScope : IDisposable
    {
        private readonly ContainerManager _containers;
        private readonly CrunHybridCgroups _crun;
        private readonly List<string> _ids = new();

        public RuntimeScope(ContainerManager containers, string runtime)
        {
            _containers = containers;
            Runtime = runtime;
            _crun = CrunHybridCgroups.For(runtime);
        }

        public string Runtime { get; }

        public Container Create(params string[] command) => Create(tty: false, command);

        public Container Create(bool tty, params string[] command)
        {
            var c = _containers.Create(new ContainerCreateOptions { Image = "busybox", Command = command, Runtime = RuntimeOption(Runtime), Tty = tty });
            _ids.Add(c.Id);
            return c;
        }

        public Container Run(params string[] command)
        {
            var c = Create(command);
            return _containers.Start(c.Id);
        }

        public void Dispose()
        {
            try
            {
                foreach (var id in _ids)
                {
                    try { _containers.RemoveAsync(id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
                    catch (EngineException) { }
                    Scrub(Runtime, id);
                }
            }
            finally
            {
                _crun.Dispose();
            }
        }
    }

    private async Task<List<string>> Logs(string id)
    {
        var lines = new List<string>();
        await foreach (var line in _containers.ReadLogsAsync(id, new LogReadOptions(), CancellationToken.None)) lines.Add(line.Text);
        return lines;
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task The_container_looks_the_same_from_inside(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sh", "-c", "echo $$; hostname; cat /proc/self/status | grep CapEff; id -u");
        var code = await _containers.WaitAsync(c.Id, CancellationToken.None);
        var output = await Logs(c.Id);
        Assert.True(code == 0, $"{runtime}: exit {code}: {string.Join("\n", output)}");
        Assert.Equal(new[] { "1", c.Id[..12], "CapEff:\t" + DockerDefaultCapEff, "0" }, output);

        await _containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task The_exit_code_is_the_commands(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sh", "-c", "exit 5");
        Assert.Equal(5, await _containers.WaitAsync(c.Id, CancellationToken.None));
        var after = _containers.Get(c.Id);
        Assert.Equal(ContainerStatus.Exited, after.State);
        Assert.Equal(5, after.ExitCode);
        Assert.Null(after.Error);

        await _containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Stop_ends_the_container_and_everything_in_it(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        Assert.Equal(ContainerStatus.Running, _containers.Get(c.Id).State);
        var inside = WaitForProcessesIn(c.Id);
        Assert.NotEmpty(inside);

        var stopped = await _containers.StopAsync(c.Id, 1, null, CancellationToken.None);
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        Assert.Equal(137, stopped.ExitCode); // sleep as PID 1 ignores SIGTERM: SIGKILL after the timeout
        // Stopped means the container's processes are gone, not only the process the monitor waits for.
        var alive = inside.Where(ProcessAlive).ToList();
        Assert.True(alive.Count == 0, $"{runtime}: still running after stop: " + string.Join(", ", alive.Select(Describe)));

        await _containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Container_Pid_is_the_host_pid_of_the_containers_pid_1(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var pid = _containers.Get(c.Id).Pid;
        // docker inspect .State.Pid: the container's init as the host sees it (NSpid: <host pid> 1).
        var nspid = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("NSpid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries);
        // runc's start returns once its init is released, possibly before it has exec'ed the
        // entrypoint (comm still "runc:[2:INIT]"): the PID is right either way; wait for the exec.
        var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
        for (var i = 0; i < 100 && comm != "sleep"; i++)
        {
            await Task.Delay(50);
            comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        Assert.True(nspid.Length == 3 && nspid[2] == "1", $"{runtime}: Pid {pid} ({comm}) is not PID 1 of the container: {string.Join(' ', nspid)}");
        Assert.Equal("sleep", comm);

        await _containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task The_runtime_runs_the_bundles_config_json_as_written(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var created = scope.Create("sleep", "1");
        var bundle = Path.Combine(_t.Layout.Containers, created.Id, "bundle");
        var configPath = Path.Combine(bundle, "config.json");
        var written = File.ReadAllBytes(configPath);
        var spec = JsonDocument.Parse(written).RootElement;
        Assert.Equal("rootfs", spec.GetProperty("root").GetProperty("path").GetString());
        Assert.Equal("/containerps/" + created.Id, spec.GetProperty("linux").GetProperty("cgroupsPath").GetString());

        _containers.Start(created.Id);
        Assert.Equal(written, File.ReadAllBytes(configPath)); // nothing rewrote it for this runtime
        if (runtime != "builtin")
        {
            // The runtime's own record of the container: this bundle, running.
            var state = JsonDocument.Parse(Tool.Check(Tool.Require(runtime), "--root", "/run/containerps/" + runtime, "state", created.Id)).RootElement;
            Assert.Equal(bundle, state.GetProperty("bundle").GetString());
            Assert.Equal("running", state.GetProperty("status").GetString());
            // crun keeps a copy of the config.json it was given: byte for byte ours.
            var copy = Path.Combine("/run/containerps", runtime, created.Id, "config.json");
            if (runtime == "crun") Assert.Equal(written, File.ReadAllBytes(copy));
        }

        Assert.Equal(0, await _containers.WaitAsync(created.Id, CancellationToken.None));
        Assert.Equal(written, File.ReadAllBytes(configPath));
        await _containers.RemoveAsync(created.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, created.Id);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public void A_command_that_cannot_start_fails_the_start_with_Dockers_exit_code(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Create("/no/such/program");
        var ex = Assert.Throws<ContainerStartException>(() => _containers.Start(c.Id));
        Assert.Equal(127, ex.ExitCode);
        Assert.Contains("/no/such/program", ex.Message);
        var after = _containers.Get(c.Id);
        Assert.Equal(ContainerStatus.Exited, after.State);
        Assert.Equal(127, after.ExitCode);
    }

    [Fact]
    public void The_spec_does_not_depend_on_the_runtime()
    {
        var specs = ContainerCreateOptions.KnownRuntimes.Select(runtime =>
        {
            var c = _containers.Create(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sh", "-c", "echo hi" }, Runtime = RuntimeOption(runtime) });
            Assert.Equal(runtime, c.Runtime);
            var text = File.ReadAllText(Path.Combine(_t.Layout.Containers, c.Id, "bundle", "config.json"), Encoding.UTF8);
            return text.Replace(c.Id, "<id>", StringComparison.Ordinal).Replace(c.Id[..12], "<hostname>", StringComparison.Ordinal);
        }).ToList();
        Assert.Equal(3, specs.Count);
        Assert.Equal(specs[0], specs[1]);
        Assert.Equal(specs[0], specs[2]);
    }

    // --- what must be gone after a container is removed ----------------------------------

    private void AssertNothingLeft(string runtime, string id)
    {
        Assert.False(Directory.Exists(Path.Combine(_t.Layout.Containers, id)), "the container directory is still there");
        if (runtime != "builtin")
        {
            var state = Path.Combine("/run/containerps", runtime, id);
            Assert.False(Directory.Exists(state), $"{runtime} state left behind: {state}");
        }
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.True(mounts.Count == 0, "mounts left behind:\n" + string.Join("\n", mounts));
        var cgroups = CgroupDirectories(id);
        Assert.True(cgroups.Count == 0, "cgroups left behind:\n" + string.Join("\n", cgroups));
        var processes = ProcessesIn(id);
        Assert.True(processes.Count == 0, "processes left behind: " + string.Join(", ", processes.Select(Describe)));
    }

    /// <summary>Removes what a failed test left of a container: runtime state, processes, cgroups.</summary>
    private static void Scrub(string runtime, string id)
    {
        if (runtime != "builtin" && Directory.Exists(Path.Combine("/run/containerps", runtime, id)))
            Tool.Run(Tool.Require(runtime), "--root", "/run/containerps/" + runtime, "delete", "--force", id);
        foreach (var pid in ProcessesIn(id))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
        foreach (var dir in CgroupDirectories(id).OrderByDescending(d => d.Length))
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
            {
                try { Directory.Delete(dir); }
                catch (IOException) { Thread.Sleep(20); } // EBUSY until the killed processes are gone
            }
        }
    }

    /// <summary>Every cgroup directory named after the container, in every hierarchy (v1 controllers and v2).</summary>
    private static List<string> CgroupDirectories(string id)
    {
        var found = new List<string>();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            try
            {
                found.AddRange(Directory.EnumerateDirectories(hierarchy, id, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true }));
            }
            catch (IOException) { }
        }
        return found;
    }

    /// <summary>Processes in one of the container's cgroups (any hierarchy): the container's own processes, whatever started them.</summary>
    private static List<int> ProcessesIn(string id)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cgroup")).Contains("/containerps/" + id, StringComparison.Ordinal)) result.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return result;
    }

    private static List<int> WaitForProcessesIn(string id)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = ProcessesIn(id);
            if (found.Count > 0) return found;
            Thread.Sleep(20);
        }
        return new List<int>();
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})"; }
        catch (IOException) { return pid.ToString(); }
    }
}
