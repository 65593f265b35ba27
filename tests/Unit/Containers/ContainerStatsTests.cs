using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>docker stats --no-stream on real containers.</summary>
[Collection("Containers")]
public sealed class ContainerStatsTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_busy_container_shows_its_cpu_use_and_an_idle_one_none()
    {
        var busy = _h.Run("sh", "-c", "while true; do :; done");
        var idle = _h.Run("sleep", "300");
        await Task.Delay(200);
        // An independent measure of the same thing: the busy cgroup's CPU time over wall time.
        var cpuacct = CgroupManagerFactory.For(busy.Id);
        var before = cpuacct.GetStats().CpuUsageNanoseconds!.Value;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stats = await _h.Containers.GetStatsAsync(new[] { busy.Id, idle.Id }, TimeSpan.FromMilliseconds(400), CancellationToken.None);
        var expected = (cpuacct.GetStats().CpuUsageNanoseconds!.Value - before) / (clock.Elapsed.TotalMilliseconds * 1e6) * 100;

        Assert.Equal(new[] { busy.Id, idle.Id }, stats.Select(s => s.Id));
        Assert.InRange(stats[0].CpuPercent, Math.Max(10, expected - 25), expected + 25);
        Assert.InRange(stats[0].CpuPercent, 10, 100.0 * Environment.ProcessorCount + 1);
        Assert.InRange(stats[1].CpuPercent, 0, 5);
        Assert.Equal(Environment.ProcessorCount, stats[0].OnlineCpus);
        Assert.True(stats[0].CpuUsageNanoseconds > 100_000_000, $"cpu usage {stats[0].CpuUsageNanoseconds}");
    }

    [Fact]
    public async Task Memory_usage_limit_and_percent()
    {
        var c = _h.Run(new ContainerCreateOptions
        {
            Memory = 64 * MiB,
            Command = new[] { "sh", "-c", "x=a; for i in $(seq 23); do x=$x$x; done; echo ready; sleep 300" },
        });
        Assert.True(await ContainerHarness.Eventually(() => _h.Logs(c.Id).GetAwaiter().GetResult().Stdout == "ready", TimeSpan.FromSeconds(5)));
        var s = _h.Containers.GetStats(c.Id);
        var cgroup = CgroupManagerFactory.For(c.Id).GetStats();
        Assert.True(s.Running);
        Assert.Equal(64 * MiB, s.MemoryLimit);
        Assert.True(s.MemoryLimited);
        // What the cgroup charges, less inactive page cache (docker's MEM USAGE). This machine's
        // kernel stops charging idle anonymous memory after a moment, so no lower bound from the
        // shell's 8 MiB string.
        var expected = cgroup.MemoryUsage!.Value - (cgroup.MemoryInactiveFile is { } inactive && inactive < cgroup.MemoryUsage ? inactive : 0);
        Assert.InRange(s.MemoryUsage, 1, 64 * MiB);
        Assert.InRange(s.MemoryUsage, expected - MiB, expected + MiB);
        Assert.Equal((double)s.MemoryUsage / s.MemoryLimit * 100, s.MemoryPercent, 6);
        Assert.Equal(c.Name, s.Name);
        Assert.Equal(c.Id[..12], s.ShortId);
    }

    [Fact]
    public void Without_a_limit_the_limit_is_the_hosts_memory()
    {
        var c = _h.Run("sleep", "300");
        var s = _h.Containers.GetStats(c.Id);
        var memTotal = File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        Assert.Equal(long.Parse(memTotal.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024, s.MemoryLimit);
        Assert.False(s.MemoryLimited);
        Assert.True(s.MemoryUsage > 0);
    }

    [Fact]
    public async Task Pids_count_every_process()
    {
        var c = _h.Run("sh", "-c", "sleep 300 & sleep 300 & sleep 300 & wait");
        Assert.True(await ContainerHarness.Eventually(() => _h.Containers.GetStats(c.Id).Pids == 4, TimeSpan.FromSeconds(3)), $"pids {_h.Containers.GetStats(c.Id).Pids}");
    }

    [Fact]
    public void Network_io_counts_the_containers_own_interfaces_without_loopback()
    {
        // -Network none: the container's namespace has lo only, so nothing counts, whatever the host's interfaces carry.
        var c = _h.Run(new ContainerCreateOptions { Network = "none", Command = new[] { "sleep", "300" } });
        var interfaces = File.ReadAllLines($"/proc/{c.Pid}/net/dev").Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(new[] { "lo" }, interfaces);
        Assert.NotEqual(File.ReadAllText("/proc/self/net/dev"), File.ReadAllText($"/proc/{c.Pid}/net/dev"));
        var s = _h.Containers.GetStats(c.Id);
        Assert.Equal(0, s.NetworkRxBytes);
        Assert.Equal(0, s.NetworkTxBytes);
    }

    [Fact]
    public async Task Block_io_is_the_cgroups_block_io()
    {
        var c = _h.Run("sh", "-c", "dd if=/dev/zero of=/root/f bs=1M count=4 oflag=direct 2>/dev/null; sync; echo done; sleep 300");
        await ContainerHarness.Eventually(() => _h.Logs(c.Id).GetAwaiter().GetResult().Stdout.Contains("done", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        var s = _h.Containers.GetStats(c.Id);
        var cgroup = CgroupManagerFactory.For(c.Id).GetStats();
        Assert.Equal(cgroup.BlockWriteBytes ?? 0, s.BlockWriteBytes);
        Assert.Equal(cgroup.BlockReadBytes ?? 0, s.BlockReadBytes);
        // Kernels that still account v1 blkio (this machine's 6.18 does not: even the root
        // cgroup's Total is 0) must show the 4 MiB written around the page cache.
        if (BlockIoAccounted()) Assert.True(s.BlockWriteBytes >= 4 * MiB, $"block writes {s.BlockWriteBytes}");
    }

    private static bool BlockIoAccounted()
    {
        const string root = "/sys/fs/cgroup/blkio/blkio.throttle.io_service_bytes";
        if (!File.Exists(root)) return File.Exists("/sys/fs/cgroup/cgroup.controllers"); // v2: io.stat always counts
        var total = File.ReadAllLines(root).FirstOrDefault(l => l.StartsWith("Total ", StringComparison.Ordinal));
        return total is not null && total != "Total 0";
    }

    [Fact]
    public async Task A_stopped_container_has_zero_stats_and_a_missing_one_is_not_found()
    {
        var r = await _h.RunToEnd("true");
        var s = _h.Containers.GetStats(r.Id);
        Assert.False(s.Running);
        Assert.Equal(0, s.CpuPercent);
        Assert.Equal(0, s.MemoryUsage);
        Assert.Equal(0, s.Pids);
        Assert.Throws<NotFoundException>(() => _h.Containers.GetStats("no-such-container"));
    }

    [Fact]
    public async Task Several_containers_take_one_interval()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => _h.Run("sleep", "300").Id).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stats = await _h.Containers.GetStatsAsync(ids, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        clock.Stop();
        Assert.Equal(4, stats.Count);
        var seen = string.Join(", ", stats.Select(s => $"{s.Name}: running {s.Running}, pids {s.Pids}, read {s.Read:HH:mm:ss.fff}"));
        Assert.All(stats, s => Assert.True(s.Running, seen));
        // Sampled twice, one interval apart (a rate needs two samples). That they share the
        // interval — one interval, not four — is the implementation's; no wall-clock bound here.
        Assert.True(clock.ElapsedMilliseconds >= 200, $"{clock.ElapsedMilliseconds} ms; {seen}");
        Assert.All(stats, s => Assert.Equal(1, s.Pids));
    }
}
