using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

public sealed class CgroupV1ManagerTests
{
    private const long MiB = 1024 * 1024;

    private static CgroupV1Manager Manager(FakeCgroupKernel k, string id = "c1") =>
        Assert.IsType<CgroupV1Manager>(CgroupManagerFactory.For(id, k.Detect(), k));

    [Fact]
    public void Create_makes_the_cgroup_in_every_hierarchy_and_fills_cpuset_from_the_parent()
    {
        using var k = FakeCgroupKernel.V1(hybrid: true);
        var m = Manager(k);
        Assert.False(m.Exists);

        m.Create();

        Assert.True(m.Exists);
        Assert.Equal("/containerps/c1", m.Path);
        Assert.Equal(CgroupMode.Hybrid, m.Mode);
        foreach (var h in new[] { "cpuset", "cpu", "cpuacct", "memory", "pids", "freezer", "blkio", "devices", "systemd", "unified" })
            Assert.True(Directory.Exists(Path.Combine(k.Root, h, "containerps", "c1")), h);
        Assert.Equal(10, m.Directories.Count);
        Assert.Equal(Path.Combine(k.Root, "unified/containerps/c1"), m.UnifiedDirectory);
        // The intermediate level must be populated too, or the leaf copies empty values.
        Assert.Equal("0-3", k.Read("cpuset/containerps/cpuset.cpus"));
        Assert.Equal("0-3", k.Read("cpuset/containerps/c1/cpuset.cpus"));
        Assert.Equal("0", k.Read("cpuset/containerps/c1/cpuset.mems"));
    }

    [Fact]
    public void Create_is_idempotent_and_keeps_a_cpuset_already_set()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        k.Put("cpuset/containerps/c1/cpuset.cpus", "1\n");
        m.Create();
        Assert.Equal("1", k.Read("cpuset/containerps/c1/cpuset.cpus"));
    }

    [Fact]
    public void Co_mounted_cpu_and_cpuacct_share_one_directory()
    {
        using var k = FakeCgroupKernel.V1(false, true, "cpu,cpuacct", "memory", "cpuset");
        var m = Manager(k);
        m.Create();

        Assert.Equal(m.DirectoryOf("cpu"), m.DirectoryOf("cpuacct"));
        Assert.Equal(Path.Combine(k.Root, "cpu,cpuacct/containerps/c1"), m.DirectoryOf("cpu"));
        Assert.Null(m.DirectoryOf("pids"));
        Assert.Null(m.UnifiedDirectory);
        Assert.Equal(4, m.Directories.Count); // cpu,cpuacct + memory + cpuset + name=systemd
    }

    [Fact]
    public void Apply_writes_each_limit_to_its_controller()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();

        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB, CpuShares: 512, CpuQuota: 50000, CpuPeriod: 100000, PidsLimit: 32));

        Assert.Equal("67108864", k.Read("memory/containerps/c1/memory.limit_in_bytes"));
        Assert.Equal("134217728", k.Read("memory/containerps/c1/memory.memsw.limit_in_bytes"));
        Assert.Equal("512", k.Read("cpu/containerps/c1/cpu.shares"));
        Assert.Equal("50000", k.Read("cpu/containerps/c1/cpu.cfs_quota_us"));
        Assert.Equal("100000", k.Read("cpu/containerps/c1/cpu.cfs_period_us"));
        Assert.Equal("32", k.Read("pids/containerps/c1/pids.max"));
    }

    [Fact]
    public void Memory_and_swap_are_written_in_the_order_the_kernel_accepts()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        string[] MemoryWrites() => k.Writes.Where(w => w.Path.Contains("/memory/")).Select(w => Path.GetFileName(w.Path) + "=" + w.Value).ToArray();

        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB)); // memsw unlimited: memory first
        Assert.Equal(new[] { "memory.limit_in_bytes=67108864", "memory.memsw.limit_in_bytes=134217728" }, MemoryWrites());

        k.Writes.Clear();
        m.Apply(new CgroupResources(MemoryLimit: 256 * MiB, MemorySwap: 512 * MiB)); // growing past memsw: swap first
        Assert.Equal(new[] { "memory.memsw.limit_in_bytes=536870912", "memory.limit_in_bytes=268435456" }, MemoryWrites());

        k.Writes.Clear();
        m.Apply(new CgroupResources(MemoryLimit: 16 * MiB, MemorySwap: 16 * MiB)); // shrinking: memory first
        Assert.Equal(new[] { "memory.limit_in_bytes=16777216", "memory.memsw.limit_in_bytes=16777216" }, MemoryWrites());

        k.Writes.Clear();
        m.Apply(new CgroupResources(MemoryLimit: -1, MemorySwap: -1)); // unlimited: swap first
        Assert.Equal(new[] { "memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1" }, MemoryWrites());
        Assert.Null(m.GetStats().MemoryLimit);
    }

    [Fact]
    public void Without_swap_accounting_only_the_memory_limit_is_written()
    {
        using var k = FakeCgroupKernel.V1(hybrid: false, swapAccounting: false);
        var m = Manager(k);
        m.Create();
        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB));
        Assert.Equal("67108864", k.Read("memory/containerps/c1/memory.limit_in_bytes"));
        Assert.DoesNotContain(k.Writes, w => w.Path.Contains("memsw"));
    }

    [Fact]
    public void Null_and_zero_leave_settings_alone_and_pids_zero_is_unlimited()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        k.Writes.Clear();

        m.Apply(new CgroupResources(MemoryLimit: 0, CpuShares: 0, CpuQuota: 0));
        Assert.Empty(k.Writes);

        m.Apply(new CgroupResources(PidsLimit: 0, CpuQuota: -1));
        Assert.Equal("max", k.Read("pids/containerps/c1/pids.max"));
        Assert.Equal("-1", k.Read("cpu/containerps/c1/cpu.cfs_quota_us"));
        Assert.DoesNotContain(k.Writes, w => w.Path.EndsWith("cfs_period_us", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_values_are_rejected_before_anything_is_written()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        k.Writes.Clear();

        var e = Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 32 * MiB, PidsLimit: 5)));
        Assert.Equal(CgroupErrorKind.InvalidArgument, e.Kind);
        Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(CpuPeriod: -5)));
        Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(MemoryLimit: -7)));
        Assert.Empty(k.Writes);
    }

    [Fact]
    public void Cpu_shares_the_kernel_clamps_are_reported()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        var e = Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(CpuShares: 1_000_000)));
        Assert.Equal(CgroupErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("262144", e.Message);
    }

    [Fact]
    public void A_limit_for_an_unmounted_controller_is_not_supported()
    {
        using var k = FakeCgroupKernel.V1(false, true, "memory", "cpuset");
        var m = Manager(k);
        m.Create();
        var e = Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(PidsLimit: 10)));
        Assert.Equal(CgroupErrorKind.NotSupported, e.Kind);
        Assert.Contains("pids", e.Message);
        Assert.Equal(CgroupErrorKind.NotSupported, Assert.Throws<CgroupException>(() => m.Freeze()).Kind);
    }

    [Fact]
    public void AddProcess_joins_every_hierarchy_after_cpuset_is_populated()
    {
        using var k = FakeCgroupKernel.V1(hybrid: true);
        var m = Manager(k);
        m.Create();
        m.AddProcess(4242);

        var procs = k.Writes.Where(w => w.Path.EndsWith("/cgroup.procs", StringComparison.Ordinal)).ToList();
        Assert.Equal(m.Directories.Select(d => d + "/cgroup.procs"), procs.Select(w => w.Path));
        Assert.All(procs, w => Assert.Equal("4242", w.Value));
        var lastCpusetSetup = k.Writes.FindLastIndex(w => w.Path.Contains("cpuset.cpus") || w.Path.Contains("cpuset.mems"));
        Assert.True(lastCpusetSetup < k.Writes.FindIndex(w => w.Path.EndsWith("/cgroup.procs", StringComparison.Ordinal)));
        Assert.Equal(new[] { 4242 }, m.Processes());
    }

    [Fact]
    public void Self_join_covers_the_v1_hierarchies_by_tasks_and_leaves_the_unified_tree_to_a_pid_write()
    {
        using var k = FakeCgroupKernel.V1(hybrid: true);
        var m = Manager(k);
        m.Create();

        Assert.Equal(m.Directories.Where(d => d != m.UnifiedDirectory).Select(d => d + "/tasks"), m.SelfJoinFiles);
        Assert.Equal(9, m.SelfJoinFiles.Count);
        CgroupSelfJoin.Join(m.SelfJoinFiles, k);
        Assert.All(k.Writes.Where(w => w.Path.EndsWith("/tasks", StringComparison.Ordinal)), w => Assert.Equal("0", w.Value));
        Assert.Equal(9, k.Writes.Count(w => w.Path.EndsWith("/tasks", StringComparison.Ordinal)));

        Assert.True(m.HasHierarchiesBeyondSelfJoin);
        m.AddProcessBeyondSelfJoin(4242);
        var procs = Assert.Single(k.Writes, w => w.Path.EndsWith("/cgroup.procs", StringComparison.Ordinal));
        Assert.Equal((m.UnifiedDirectory + "/cgroup.procs", "4242"), procs);
    }

    [Fact]
    public void Legacy_v1_has_nothing_beyond_the_self_join()
    {
        using var k = FakeCgroupKernel.V1(hybrid: false);
        var m = Manager(k);
        m.Create();
        Assert.False(m.HasHierarchiesBeyondSelfJoin);
        m.AddProcessBeyondSelfJoin(4242);
        Assert.DoesNotContain(k.Writes, w => w.Path.EndsWith("/cgroup.procs", StringComparison.Ordinal));
    }

    [Fact]
    public void OomKills_reads_only_the_counter()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        Assert.Equal(0, m.OomKills());
        k.Put("memory/containerps/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        Assert.Equal(3, m.OomKills());
        using var noMemory = FakeCgroupKernel.V1(false, true, "cpu", "cpuset");
        var n = Manager(noMemory);
        n.Create();
        Assert.Null(n.OomKills());
    }

    [Fact]
    public void The_fake_kernel_refuses_tasks_in_an_empty_cpuset_as_the_real_one_does()
    {
        using var k = FakeCgroupKernel.V1();
        Directory.CreateDirectory(Path.Combine(k.Root, "cpuset", "raw"));
        File.WriteAllText(Path.Combine(k.Root, "cpuset", "raw", "cpuset.cpus"), "");
        File.WriteAllText(Path.Combine(k.Root, "cpuset", "raw", "cgroup.procs"), "");
        var e = Assert.Throws<CgroupException>(() => k.WriteText(Path.Combine(k.Root, "cpuset", "raw", "cgroup.procs"), "1"));
        Assert.Equal(28, e.Errno);
        Assert.Contains("ENOSPC", e.Message);
    }

    [Fact]
    public void Freeze_and_thaw_drive_freezer_state()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        m.Freeze();
        Assert.Equal("FROZEN", k.Read("freezer/containerps/c1/freezer.state"));
        m.Thaw();
        Assert.Equal("THAWED", k.Read("freezer/containerps/c1/freezer.state"));
    }

    [Fact]
    public void A_freeze_that_never_completes_times_out_and_thaws_again()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        k.FreezeSticks = true;
        var e = Assert.Throws<CgroupException>(() => m.Freeze(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(CgroupErrorKind.Timeout, e.Kind);
        Assert.Contains("FREEZING", e.Message);
        Assert.Equal("THAWED", k.Read("freezer/containerps/c1/freezer.state"));
    }

    [Fact]
    public void GetStats_reads_the_v1_accounting_files()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, PidsLimit: 32));
        k.Put("cpuacct/containerps/c1/cpuacct.usage", "123456789\n");
        k.Put("memory/containerps/c1/memory.usage_in_bytes", "1048576\n");
        k.Put("memory/containerps/c1/memory.max_usage_in_bytes", "2097152\n");
        k.Put("memory/containerps/c1/memory.stat", "cache 4096\ninactive_file 1\ntotal_inactive_file 8192\n");
        k.Put("memory/containerps/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        k.Put("pids/containerps/c1/pids.current", "3\n");
        k.Put("blkio/containerps/c1/blkio.throttle.io_service_bytes_recursive",
            "8:0 Read 1000\n8:0 Write 20\n8:0 Sync 5\n8:0 Async 15\n8:0 Discard 0\n8:0 Total 1020\n8:16 Read 1\n8:16 Write 2\nTotal 1023\n");

        var s = m.GetStats();
        Assert.Equal(123456789, s.CpuUsageNanoseconds);
        Assert.Equal(1048576, s.MemoryUsage);
        Assert.Equal(2097152, s.MemoryMaxUsage);
        Assert.Equal(8192, s.MemoryInactiveFile);
        Assert.Equal(64 * MiB, s.MemoryLimit);
        Assert.Equal(2, s.OomKills);
        Assert.Equal(3, s.PidsCurrent);
        Assert.Equal(32, s.PidsLimit);
        Assert.Equal(1001, s.BlockReadBytes);
        Assert.Equal(22, s.BlockWriteBytes);
    }

    [Fact]
    public void Processes_include_child_cgroups()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        Assert.Empty(m.Processes());
        m.Create();
        k.Put("pids/containerps/c1/cgroup.procs", "30\n10\n");
        Directory.CreateDirectory(Path.Combine(k.Root, "pids/containerps/c1/inner"));
        k.Put("pids/containerps/c1/inner/cgroup.procs", "20\n10\n");
        Assert.Equal(new[] { 10, 20, 30 }, m.Processes());
    }

    [Fact]
    public void Destroy_removes_every_directory_child_cgroups_first_and_is_idempotent()
    {
        using var k = FakeCgroupKernel.V1(hybrid: true);
        var m = Manager(k);
        m.Destroy(); // nothing yet: fine
        m.Create();
        k.CreateDirectory(Path.Combine(k.Root, "memory/containerps/c1/inner"));

        m.Destroy();

        Assert.False(m.Exists);
        Assert.All(m.Directories, d => Assert.False(Directory.Exists(d), d));
        Assert.True(Directory.Exists(Path.Combine(k.Root, "memory/containerps")), "the shared parent stays");
        m.Destroy();
    }

    [Fact]
    public void Destroy_retries_while_the_cgroup_is_busy_then_gives_up_with_EBUSY()
    {
        using var k = FakeCgroupKernel.V1();
        var m = Manager(k);
        m.Create();
        var memory = m.DirectoryOf("memory")!;
        k.BusyCount[memory] = 3;
        m.Destroy();
        Assert.False(m.Exists);

        m.Create();
        k.BusyCount[memory] = int.MaxValue;
        var e = Assert.Throws<CgroupException>(() => m.Destroy(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(16, e.Errno);
        Assert.Equal("rmdir", e.Operation);
        Assert.Equal(memory, e.Path);
    }
}
