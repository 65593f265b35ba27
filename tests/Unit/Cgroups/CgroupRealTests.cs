using System.Diagnostics;
using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

/// <summary>
/// Against the kernel's own cgroups on this machine, as root: every test works in its own
/// /containerps/cps-test-&lt;guid&gt; and cleans up in Dispose even on failure.
/// </summary>
public sealed class CgroupRealTests
{
    private const long MiB = 1024 * 1024;

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Limits_processes_and_destroy_on_the_real_kernel()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        m.Create();
        Assert.True(m.Exists);
        Assert.All(m.Directories, d => Assert.True(Directory.Exists(d), d));

        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB, CpuShares: 512, CpuQuota: 50000, CpuPeriod: 100000, PidsLimit: 32));

        Assert.Equal("67108864", cg.Read("memory", "memory.limit_in_bytes", "memory.max"));
        if (m.Mode == CgroupMode.V2)
        {
            Assert.Equal("20", cg.Read("cpu", "cpu.shares", "cpu.weight"));
            Assert.Equal("50000 100000", cg.Read("cpu", "cpu.cfs_quota_us", "cpu.max"));
        }
        else
        {
            Assert.Equal("512", cg.Read("cpu", "cpu.shares", "cpu.weight"));
            Assert.Equal("50000", cg.Read("cpu", "cpu.cfs_quota_us", "cpu.max"));
            Assert.Equal("100000", cg.Read("cpu", "cpu.cfs_period_us", "cpu.max"));
            if (File.Exists(cg.File("memory", "memory.memsw.limit_in_bytes", "")))
                Assert.Equal("134217728", cg.Read("memory", "memory.memsw.limit_in_bytes", ""));
            // The kernel's cpuset refuses tasks until cpus/mems are set: Create copied them.
            Assert.NotEqual("", cg.Read("cpuset", "cpuset.cpus", ""));
            Assert.NotEqual("", cg.Read("cpuset", "cpuset.mems", ""));
        }
        Assert.Equal("32", cg.Read("pids", "pids.max", "pids.max"));

        // Growing past and shrinking below the current memsw: the kernel rejects the wrong order with EINVAL.
        m.Apply(new CgroupResources(MemoryLimit: 256 * MiB, MemorySwap: 512 * MiB));
        Assert.Equal("268435456", cg.Read("memory", "memory.limit_in_bytes", "memory.max"));
        m.Apply(new CgroupResources(MemoryLimit: 32 * MiB, MemorySwap: 32 * MiB));
        Assert.Equal("33554432", cg.Read("memory", "memory.limit_in_bytes", "memory.max"));
        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB));

        var sleep = cg.Start("/bin/sleep", "30");
        m.AddProcess(sleep.Id);

        Assert.Equal(new[] { sleep.Id }, m.Processes());
        foreach (var dir in m.Directories)
            Assert.Contains(sleep.Id.ToString(), File.ReadAllLines(dir + "/cgroup.procs"));
        var membership = File.ReadAllLines($"/proc/{sleep.Id}/cgroup");
        Assert.Contains(membership, l => l.Contains(":memory:/containerps/" + cg.Id) || (m.Mode == CgroupMode.V2 && l == "0::/containerps/" + cg.Id));
        if (m.Mode == CgroupMode.Hybrid) Assert.Contains("0::/containerps/" + cg.Id, membership);

        var stats = m.GetStats();
        Assert.Equal(64 * MiB, stats.MemoryLimit);
        Assert.Equal(32, stats.PidsLimit);
        Assert.Equal(1, stats.PidsCurrent);
        Assert.NotNull(stats.MemoryUsage);
        Assert.NotNull(stats.CpuUsageNanoseconds);
        Assert.Equal(0, stats.OomKills);
        Assert.True(stats.BlockReadBytes >= 0 && stats.BlockWriteBytes >= 0);

        // A busy cgroup cannot be removed: Destroy retries, then reports EBUSY.
        var busy = Assert.Throws<CgroupException>(() => m.Destroy(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(16, busy.Errno);

        sleep.Kill();
        Assert.True(sleep.WaitForExit(ChildTimeout));
        m.Destroy();
        Assert.False(m.Exists);
        Assert.All(m.Directories, d => Assert.False(Directory.Exists(d), d));
        m.Destroy(); // already gone: no error
        Assert.Empty(m.Processes());
    }

    [Fact]
    public void Cpu_usage_is_accounted_for_a_busy_child()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        m.Create();
        // The script waits for a line so that all its work happens inside the cgroup.
        var child = cg.StartShell("read go; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
        m.AddProcess(child.Id);
        child.StandardInput.WriteLine("go");
        child.StandardInput.Flush();
        Assert.True(child.WaitForExit(ChildTimeout));
        Assert.Equal(0, child.ExitCode);

        var usage = m.GetStats().CpuUsageNanoseconds;
        Assert.True(usage > 10_000_000, $"cpu usage {usage} ns after a 200000-iteration shell loop");
    }

    [Fact]
    public void Freeze_stops_a_busy_child_and_thaw_resumes_it()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        m.Create();
        var child = cg.StartShell("while :; do :; done");
        m.AddProcess(child.Id);
        Thread.Sleep(100);

        m.Freeze();
        if (m.Mode == CgroupMode.V2) Assert.Contains("frozen 1", cg.Read("", "", "cgroup.events"));
        else Assert.Equal("FROZEN", cg.Read("freezer", "freezer.state", ""));
        var frozenAt = m.GetStats().CpuUsageNanoseconds;
        Thread.Sleep(300);
        Assert.Equal(frozenAt, m.GetStats().CpuUsageNanoseconds);
        Assert.False(child.HasExited);
        var state = File.ReadAllLines($"/proc/{child.Id}/status").Single(l => l.StartsWith("State:", StringComparison.Ordinal));
        Assert.DoesNotContain("R (running)", state);

        m.Thaw();
        if (m.Mode != CgroupMode.V2) Assert.Equal("THAWED", cg.Read("freezer", "freezer.state", ""));
        Thread.Sleep(200);
        Assert.True(m.GetStats().CpuUsageNanoseconds > frozenAt, "usage grows again once thawed");

        child.Kill();
        Assert.True(child.WaitForExit(ChildTimeout));
        m.Destroy();
        Assert.False(m.Exists);
    }

    [Fact]
    public void A_process_that_writes_0_to_the_tasks_files_and_execs_runs_wholly_in_the_cgroup()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        if (m.SelfJoinFiles.Count == 0) return; // v2: no self-join (domain cgroups take whole processes)
        m.Create();
        // What the container's init does (CgroupSelfJoin from its exec'ing thread), done by a
        // single-threaded shell; the program it execs must be in every v1 hierarchy.
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("read go; for f in \"$@\"; do echo 0 > \"$f\" || exit 3; done; exec cat /proc/self/cgroup");
        psi.ArgumentList.Add("sh");
        foreach (var f in m.SelfJoinFiles) psi.ArgumentList.Add(f);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardInput.WriteLine("go");
        p.StandardInput.Flush();
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.WaitForExit(ChildTimeout));
        Assert.Equal(0, p.ExitCode);
        // Every joined v1 hierarchy's line ("4:memory:/containerps/<id>") names the container's cgroup.
        var joined = new[] { "cpuset", "cpu", "cpuacct", "memory", "pids", "freezer", "blkio", "devices", "name=systemd" };
        var v1 = lines.Select(l => l.Split(':', 3)).Where(f => f.Length == 3 && f[1].Split(',').Any(joined.Contains)).ToList();
        Assert.True(v1.Count >= 3, string.Join(" | ", lines));
        Assert.All(v1, f => Assert.Equal(m.Path, f[2]));
    }

    [Fact]
    public void A_child_over_its_memory_limit_is_oom_killed_and_counted()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        m.Create();
        m.Apply(new CgroupResources(MemoryLimit: 16 * MiB, MemorySwap: 16 * MiB));
        // Doubles a shell string until it no longer fits in 16 MiB.
        var child = cg.StartShell("read go; x=0123456789abcdef; while :; do x=\"$x$x\"; done");
        m.AddProcess(child.Id);
        child.StandardInput.WriteLine("go");
        child.StandardInput.Flush();

        Assert.True(child.WaitForExit(ChildTimeout), "the child should have been OOM-killed");
        Assert.Equal(128 + 9, child.ExitCode); // SIGKILL
        var stats = m.GetStats();
        Assert.True(stats.OomKills >= 1, $"oom kills {stats.OomKills}");
        Assert.True(stats.MemoryMaxUsage is null || stats.MemoryMaxUsage <= 16 * MiB);
    }

    [Fact]
    public async Task The_pids_limit_stops_forks()
    {
        using var cg = new RealCgroup();
        var m = cg.Manager;
        m.Create();
        m.Apply(new CgroupResources(PidsLimit: 3));
        // sh plus two sleeps fill the limit; the third fork fails, which ends a non-interactive sh.
        var child = cg.StartShell("read go; for i in 1 2 3 4 5 6; do sleep 20 & done; wait");
        var stderr = child.StandardError.ReadToEndAsync();
        m.AddProcess(child.Id);
        child.StandardInput.WriteLine("go");
        child.StandardInput.Flush();
        Assert.True(child.WaitForExit(ChildTimeout));
        Assert.NotEqual(0, child.ExitCode);

        var left = m.Processes();
        Assert.Equal(2, left.Count);
        Assert.Equal(2, m.GetStats().PidsCurrent);
        foreach (var pid in left) Process.GetProcessById(pid).Kill(); // the test's own sleeps
        Assert.Contains("fork", await stderr, StringComparison.OrdinalIgnoreCase);
        m.Destroy();
        Assert.False(m.Exists);
    }
}
