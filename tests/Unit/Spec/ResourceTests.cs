using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class ResourceTests
{
    private const long MiB = 1024 * 1024;

    private static LinuxResources Build(Action<ContainerCreateOptions> set, bool swap = true)
    {
        var options = SpecTestBuilder.Options("sh");
        set(options);
        var builder = SpecTestBuilder.Builder(swapLimitSupported: swap);
        return builder.Build(SpecTestBuilder.Input(options)).Linux!.Resources!;
    }

    [Fact]
    public void No_options_means_only_device_rules()
    {
        var r = Build(_ => { });
        Assert.NotNull(r.Devices);
        Assert.Null(r.Memory);
        Assert.Null(r.Cpu);
        Assert.Null(r.Pids);
    }

    [Fact]
    public void Memory_alone_allows_as_much_swap_again()
    {
        var r = Build(o => o.Memory = 64 * MiB);
        Assert.Equal(64 * MiB, r.Memory!.Limit);
        Assert.Equal(128 * MiB, r.Memory.Swap);
    }

    [Fact]
    public void Memory_swap_given_or_unlimited()
    {
        Assert.Equal(100 * MiB, Build(o => { o.Memory = 64 * MiB; o.MemorySwap = 100 * MiB; }).Memory!.Swap);
        var unlimited = Build(o => { o.Memory = 64 * MiB; o.MemorySwap = -1; }).Memory!;
        Assert.Equal(64 * MiB, unlimited.Limit);
        Assert.Null(unlimited.Swap);
        Assert.Null(Build(o => o.Memory = 64 * MiB, swap: false).Memory!.Swap);
    }

    [Theory]
    [InlineData(1024L * 1024, null, "Minimum memory limit allowed is 6MB")]
    [InlineData(64L * 1024 * 1024, 32L * 1024 * 1024, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(null, 64L * 1024 * 1024, "You should always set the Memory limit when using Memoryswap limit, see usage")]
    public void Memory_errors_are_Dockers(long? memory, long? swap, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Build(o => { o.Memory = memory; o.MemorySwap = swap; }));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Cpus_become_a_quota_per_100ms_period_and_shares_are_clamped()
    {
        var cpu = Build(o => { o.Cpus = 1.5; o.CpuShares = 1; }).Cpu!;
        Assert.Equal(100_000UL, cpu.Period);
        Assert.Equal(150_000L, cpu.Quota);
        Assert.Equal(2UL, cpu.Shares);
        Assert.Equal(262144UL, Build(o => o.CpuShares = 1_000_000).Cpu!.Shares);
        Assert.Equal(1_000L, Build(o => o.Cpus = 0.01).Cpu!.Quota);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(4.5)]
    [InlineData(-1.0)]
    public void Cpus_outside_the_host_range_are_Dockers_error(double cpus)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Build(o => o.Cpus = cpus));
        Assert.Equal("Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available", ex.Message);
    }

    [Theory]
    [InlineData(100L, 100L)]
    [InlineData(0L, -1L)]
    [InlineData(-1L, -1L)]
    public void Pids_limit(long given, long expected) =>
        Assert.Equal(expected, Build(o => o.PidsLimit = given).Pids!.Limit);

    [Fact]
    public void Options_validation()
    {
        var o = SpecTestBuilder.Options("sh");
        o.Runtime = "kata";
        Assert.Contains("'kata'", Assert.Throws<InvalidArgumentException>(o.Validate).Message);
        o.Runtime = "crun";
        o.WorkingDir = "app";
        Assert.Equal("the working directory 'app' is invalid, it needs to be an absolute path", Assert.Throws<InvalidArgumentException>(o.Validate).Message);
        o.WorkingDir = null;
        o.Image = "";
        Assert.Throws<InvalidArgumentException>(o.Validate);
    }
}
