using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>Restart policies applied by the container's monitor, on real exits.</summary>
[Collection("Containers")]
public sealed class RestartPolicyRunTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task On_failure_with_a_maximum_restarts_that_many_times_then_stays_exited()
    {
        var c = _h.Run(new ContainerCreateOptions { RestartPolicy = "on-failure:2", Command = new[] { "sh", "-c", "echo run; exit 1" } });
        var final = await _h.Settled(c.Id, TimeSpan.FromSeconds(5));
        Assert.Equal(ContainerStatus.Exited, final.State);
        Assert.Equal(2, final.RestartCount);
        Assert.Equal(1, final.ExitCode);
        Assert.Equal("run\nrun\nrun", (await _h.Logs(c.Id)).Stdout);
    }

    [Fact]
    public async Task On_failure_does_not_restart_a_successful_exit()
    {
        var c = _h.Run(new ContainerCreateOptions { RestartPolicy = "on-failure", Command = new[] { "sh", "-c", "echo run; exit 0" } });
        var final = await _h.Settled(c.Id, TimeSpan.FromSeconds(3));
        await Task.Delay(300);
        final = _h.Containers.Get(c.Id);
        Assert.Equal(ContainerStatus.Exited, final.State);
        Assert.Equal(0, final.RestartCount);
        Assert.Equal("run", (await _h.Logs(c.Id)).Stdout);
    }

    [Fact]
    public async Task Always_restarts_until_stopped_and_then_stays_stopped()
    {
        var c = _h.Run(new ContainerCreateOptions { RestartPolicy = "always", Command = new[] { "sh", "-c", "echo run; exit 1" } });
        Assert.True(await ContainerHarness.Eventually(() => _h.Containers.Get(c.Id).RestartCount >= 2, TimeSpan.FromSeconds(5)), "restarted twice");
        Assert.True(_h.Containers.Get(c.Id).Running, "still under its monitor");

        await _h.Stop(c.Id, 1, null);
        var stopped = await _h.Settled(c.Id, TimeSpan.FromSeconds(5));
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        var count = stopped.RestartCount;
        var runs = (await _h.Logs(c.Id)).Stdout.Split('\n').Length;

        await Task.Delay(1000);
        var later = _h.Containers.Get(c.Id);
        Assert.Equal(ContainerStatus.Exited, later.State);
        Assert.Equal(count, later.RestartCount);
        Assert.Equal(runs, (await _h.Logs(c.Id)).Stdout.Split('\n').Length);
        Assert.False(ContainerHarness.MonitorProcessAlive(c.Id));
    }

    [Fact]
    public async Task Always_restarts_a_successful_exit_too()
    {
        var c = _h.Run(new ContainerCreateOptions { RestartPolicy = "always", Command = new[] { "true" } });
        Assert.True(await ContainerHarness.Eventually(() => _h.Containers.Get(c.Id).RestartCount >= 1, TimeSpan.FromSeconds(3)));
        await _h.Stop(c.Id, 1, null);
    }
}
