using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

public sealed class CgroupV2ManagerTests
{
    private const long MiB = 1024 * 1024;

    private static CgroupV2Manager Manager(FakeCgroupKernel k, string id = "c2") =>
        Assert.IsType<CgroupV2Manager>(CgroupManagerFactory.For(id, k.Detect(), k));

    [Fact]
    public void Create_enables_the_offered_controllers_on_the_way_down()
    {
        using var k = FakeCgroupKernel.V2("cpuset cpu io memory hugetlb pids rdma");
        var m = Manager(k);
        m.Create();

        Assert.True(m.Exists);
        Assert.Equal(Path.Combine(k.Root, "containerps/c2"), m.Directory);
        Assert.Equal(new[] { m.Directory }, m.Directories);
        string[] Words(string file) => k.Read(file).Split(' ').Order().ToArray();
        var all = new[] { "cpu", "cpuset", "hugetlb", "io", "memory", "pids", "rdma" };
        Assert.Equal(all, Words("cgroup.subtree_control"));
        Assert.Equal(all, Words("containerps/cgroup.subtree_control"));
        Assert.Equal(all, Words("containerps/c2/cgroup.controllers"));
        Assert.Equal("", k.Read("containerps/c2/cgroup.subtree_control")); // the leaf holds processes: nothing enabled below it
        Assert.True(File.Exists(Path.Combine(m.Directory, "memory.max")));
        // One controller per write, so one refusal does not cost the others.
        Assert.All(k.Writes.Where(w => w.Path.EndsWith("subtree_control", StringComparison.Ordinal)), w => Assert.DoesNotContain(' ', w.Value));

        k.Writes.Clear();
        m.Create();
        Assert.Empty(k.Writes);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(512, 20)]
    [InlineData(1024, 39)]
    [InlineData(262144, 10000)]
    public void Cpu_shares_convert_to_weight_as_runc_does(long shares, long weight) =>
        Assert.Equal(weight, CgroupV2Manager.SharesToWeight(shares));

    [Fact]
    public void Apply_writes_v2_files()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();

        m.Apply(new CgroupResources(MemoryLimit: 64 * MiB, MemorySwap: 128 * MiB, CpuShares: 512, CpuQuota: 50000, CpuPeriod: 100000, PidsLimit: 32));

        Assert.Equal("67108864", k.Read("containerps/c2/memory.max"));
        Assert.Equal("67108864", k.Read("containerps/c2/memory.swap.max")); // swap alone = 128 - 64 MiB
        Assert.Equal("20", k.Read("containerps/c2/cpu.weight"));
        Assert.Equal("50000 100000", k.Read("containerps/c2/cpu.max"));
        Assert.Equal("32", k.Read("containerps/c2/pids.max"));
    }

    [Fact]
    public void Unlimited_values_are_max()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();

        m.Apply(new CgroupResources(MemoryLimit: -1, MemorySwap: -1, CpuQuota: -1, PidsLimit: -1));
        Assert.Equal("max", k.Read("containerps/c2/memory.max"));
        Assert.Equal("max", k.Read("containerps/c2/memory.swap.max"));
        Assert.Equal("max", k.Read("containerps/c2/cpu.max"));
        Assert.Equal("max", k.Read("containerps/c2/pids.max"));

        m.Apply(new CgroupResources(CpuPeriod: 20000));
        Assert.Equal("max 20000", k.Read("containerps/c2/cpu.max"));
        m.Apply(new CgroupResources(CpuQuota: 10000));
        Assert.Equal("10000", k.Read("containerps/c2/cpu.max"));
    }

    [Fact]
    public void A_swap_limit_without_a_memory_limit_is_invalid()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();
        Assert.Equal(CgroupErrorKind.InvalidArgument, Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(MemorySwap: 128 * MiB))).Kind);
    }

    [Fact]
    public void A_controller_the_root_does_not_offer_is_reported_by_name()
    {
        using var k = FakeCgroupKernel.V2("cpu pids");
        var m = Manager(k);
        m.Create();
        m.Apply(new CgroupResources(CpuShares: 1024, PidsLimit: 5));
        var e = Assert.Throws<CgroupException>(() => m.Apply(new CgroupResources(MemoryLimit: 64 * MiB)));
        Assert.Equal(CgroupErrorKind.NotSupported, e.Kind);
        Assert.Contains("memory controller is not enabled", e.Message);
    }

    [Fact]
    public void Apply_before_Create_says_so()
    {
        using var k = FakeCgroupKernel.V2();
        var e = Assert.Throws<CgroupException>(() => Manager(k).Apply(new CgroupResources(PidsLimit: 5)));
        Assert.Contains("Create first", e.Message);
    }

    [Fact]
    public void Freeze_waits_for_cgroup_events_and_thaw_reverses_it()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();
        m.Freeze();
        Assert.Equal("1", k.Read("containerps/c2/cgroup.freeze"));
        Assert.Contains("frozen 1", k.Read("containerps/c2/cgroup.events"));
        m.Thaw();
        Assert.Equal("0", k.Read("containerps/c2/cgroup.freeze"));

        k.FreezeSticks = true;
        Assert.Equal(CgroupErrorKind.Timeout, Assert.Throws<CgroupException>(() => m.Freeze(TimeSpan.FromMilliseconds(50))).Kind);
        Assert.Equal("0", k.Read("containerps/c2/cgroup.freeze"));
    }

    [Fact]
    public void GetStats_reads_the_v2_accounting_files()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();
        k.Put("containerps/c2/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        k.Put("containerps/c2/memory.current", "4096\n");
        k.Put("containerps/c2/memory.peak", "8192\n");
        k.Put("containerps/c2/memory.stat", "anon 0\nfile 0\nactive_file 7\ninactive_file 11\n");
        k.Put("containerps/c2/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 3\noom_group_kill 0\n");
        k.Put("containerps/c2/pids.current", "2\n");
        k.Put("containerps/c2/io.stat", "8:0 rbytes=100 wbytes=7 rios=1 wios=1 dbytes=0 dios=0\n253:0 rbytes=5 wbytes=3 rios=1 wios=1 dbytes=0 dios=0\n");

        var s = m.GetStats();
        Assert.Equal(1_500_000, s.CpuUsageNanoseconds);
        Assert.Equal(4096, s.MemoryUsage);
        Assert.Equal(8192, s.MemoryMaxUsage);
        Assert.Equal(11, s.MemoryInactiveFile);
        Assert.Null(s.MemoryLimit); // "max"
        Assert.Null(s.PidsLimit);
        Assert.Equal(3, s.OomKills);
        Assert.Equal(2, s.PidsCurrent);
        Assert.Equal(105, s.BlockReadBytes);
        Assert.Equal(10, s.BlockWriteBytes);
    }

    [Fact]
    public void No_self_join_on_v2_the_process_joins_by_pid_and_the_oom_counter_comes_from_memory_events()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Create();
        Assert.Empty(m.SelfJoinFiles);
        Assert.True(m.HasHierarchiesBeyondSelfJoin);
        m.AddProcessBeyondSelfJoin(77);
        Assert.Equal(new[] { 77 }, m.Processes());
        k.Put("containerps/c2/memory.events", "low 0\nhigh 0\nmax 1\noom 1\noom_kill 2\n");
        Assert.Equal(2, m.OomKills());
    }

    [Fact]
    public void Processes_and_Destroy()
    {
        using var k = FakeCgroupKernel.V2();
        var m = Manager(k);
        m.Destroy();
        m.Create();
        m.AddProcess(77);
        Assert.Equal(new[] { 77 }, m.Processes());
        Assert.Equal(16, Assert.Throws<CgroupException>(() => m.Destroy(TimeSpan.FromMilliseconds(30))).Errno); // still populated

        k.Put("containerps/c2/cgroup.procs", "");
        m.Destroy();
        Assert.False(m.Exists);
        Assert.Empty(m.Processes());
        Assert.True(Directory.Exists(Path.Combine(k.Root, "containerps")));
    }
}
