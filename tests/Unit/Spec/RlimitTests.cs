using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class RlimitTests
{
    private const string ProcLimits =
        "Limit                     Soft Limit           Hard Limit           Units     \n" +
        "Max cpu time              unlimited            unlimited            seconds   \n" +
        "Max stack size            8388608              unlimited            bytes     \n" +
        "Max processes             96365                96365                processes \n" +
        "Max open files            1024                 20000                files     \n" +
        "Max nice priority         0                    0                    \n" +
        "Max realtime timeout      unlimited            unlimited            us        \n";

    [Fact]
    public void Proc_limits_are_parsed_by_column()
    {
        var limits = ProcessLimits.Parse(ProcLimits);
        Assert.Equal((1024UL, 20000UL), limits.Get("RLIMIT_NOFILE"));
        Assert.Equal((96365UL, 96365UL), limits.Get("RLIMIT_NPROC"));
        Assert.Equal((8388608UL, ulong.MaxValue), limits.Get("RLIMIT_STACK"));
        Assert.Equal((0UL, 0UL), limits.Get("RLIMIT_NICE"));
        Assert.Null(limits.Get("RLIMIT_AS"));
        Assert.Throws<FormatException>(() => ProcessLimits.Parse("nonsense"));
    }

    [Fact]
    public void This_process_limits_are_readable()
    {
        var limits = ProcessLimits.ReadCurrent();
        Assert.NotNull(limits);
        Assert.NotNull(limits!.Get("RLIMIT_NOFILE"));
    }

    [Fact]
    public void Defaults_are_capped_at_the_callers_hard_limits()
    {
        var rlimits = SpecTestBuilder.Builder(nofileHard: 20000, nprocHard: 96365).DefaultRlimits()!;
        Assert.Equal(2, rlimits.Count);
        Assert.Equal(("RLIMIT_NOFILE", 20000UL, 20000UL), (rlimits[0].Type, rlimits[0].Soft, rlimits[0].Hard));
        Assert.Equal(("RLIMIT_NPROC", 96365UL, 96365UL), (rlimits[1].Type, rlimits[1].Soft, rlimits[1].Hard));
    }

    [Fact]
    public void Defaults_never_exceed_1048576()
    {
        var rlimits = SpecTestBuilder.Builder(nofileHard: ulong.MaxValue, nprocHard: 4_000_000).DefaultRlimits()!;
        Assert.All(rlimits, r => Assert.Equal((1048576UL, 1048576UL), (r.Soft, r.Hard)));
    }

    [Fact]
    public void Unknown_caller_limits_mean_no_rlimits()
    {
        var builder = new ContainerSpecBuilder { CallerLimits = null };
        Assert.Null(builder.DefaultRlimits());
    }
}
