using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>The memory limit is enforced by the cgroup: a process that outgrows it is OOM-killed.</summary>
[Collection("Containers")]
public sealed class MemoryLimitTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Outgrowing_the_memory_limit_is_an_oom_kill()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions
        {
            Memory = 16 * MiB,
            MemorySwap = 16 * MiB,
            Command = new[] { "sh", "-c", "x=a; while true; do x=$x$x; done" },
        }, timeoutSeconds: 20);
        Assert.Equal(137, r.ExitCode);
        var c = _h.Containers.Get(r.Id);
        Assert.Equal(ContainerStatus.Exited, c.State);
        Assert.True(c.OomKilled, "OomKilled");
    }

    [Fact]
    public async Task Staying_under_the_limit_is_not_an_oom_kill()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions { Memory = 16 * MiB, MemorySwap = 16 * MiB, Command = new[] { "sh", "-c", "x=a; for i in 1 2 3 4 5 6 7 8 9 10; do x=$x$x; done; echo ${#x}" } });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("1024", r.Stdout);
        Assert.False(_h.Containers.Get(r.Id).OomKilled);
    }

    [Fact]
    public async Task The_limit_is_the_cgroup_limit()
    {
        var c = _h.Run(new ContainerCreateOptions { Memory = 16 * MiB, MemorySwap = 16 * MiB, Command = new[] { "sleep", "1000" } });
        Assert.Equal(16 * MiB, ContainerPS.Runtime.Cgroups.CgroupManagerFactory.For(c.Id).GetStats().MemoryLimit);
        await _h.Kill(c.Id, null);
    }
}
