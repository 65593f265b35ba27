using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>docker top on real containers: the processes of the container's cgroup, ps -ef style.</summary>
[Collection("Containers")]
public sealed class ContainerTopTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Top_lists_the_containers_processes_with_host_pids_and_parents()
    {
        var c = _h.Run("sh", "-c", "sleep 300 & sleep 301 & echo ready; wait");
        // Three processes, and both children past their exec (a forked child reads "sh -c …" until then).
        Assert.True(await ContainerHarness.Eventually(() => _h.Containers.Top(c.Id) is { Count: 3 } t && t.Count(p => p.Command.StartsWith("sleep ", StringComparison.Ordinal)) == 2, TimeSpan.FromSeconds(10)));
        var top = _h.Containers.Top(c.Id);

        // By PID, not by place: the list is in PID order, and PIDs wrap (pid_max is 32768 here),
        // so a child can have a lower PID than its parent.
        var init = Assert.Single(top, p => p.Pid == c.Pid);
        Assert.Equal("sh -c sleep 300 & sleep 301 & echo ready; wait", init.Command);
        Assert.Equal("sh", init.Name);
        Assert.Equal("root", init.User);
        Assert.Equal(0u, init.Uid);
        Assert.Equal("?", init.Tty);
        Assert.Matches(@"^\d\d:\d\d:\d\d$", init.Time);
        Assert.Matches(@"^\d\d:\d\d$", init.STime);
        Assert.InRange(init.StartTime, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(c.Id, init.ContainerId);
        Assert.Equal(c.Name, init.ContainerName);
        // PID 1's parent is its monitor, outside the container.
        Assert.DoesNotContain(top, p => p.Pid == init.ParentPid);

        var sleeps = top.Where(p => p.Pid != init.Pid).ToList();
        Assert.Equal(new[] { "sleep 300", "sleep 301" }, sleeps.Select(p => p.Command).Order());
        Assert.All(sleeps, p => Assert.Equal(c.Pid, p.ParentPid));
        Assert.All(top, p => Assert.True(p.Pid > 0 && Directory.Exists($"/proc/{p.Pid}")));
        Assert.Equal(top.Select(p => p.Pid).Order(), top.Select(p => p.Pid));
    }

    [Fact]
    public async Task The_user_is_named_from_the_containers_passwd()
    {
        var app = _h.Run(new ContainerCreateOptions { User = "app", Command = new[] { "sleep", "300" } });
        var nobody = _h.Run(new ContainerCreateOptions { User = "4321", Command = new[] { "sleep", "300" } });
        var p = Assert.Single(_h.Containers.Top(app.Id));
        Assert.Equal(1000u, p.Uid);
        Assert.Equal("app", p.User);
        var q = Assert.Single(_h.Containers.Top(nobody.Id));
        Assert.Equal("4321", q.User);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_busy_process_shows_cpu_time()
    {
        var c = _h.Run("sh", "-c", "while true; do :; done");
        // How fast CPU time accrues depends on what else runs on the machine: wait for it, then
        // check what top shows (busy, running, a CPU share), not how large the share is.
        var p = Assert.Single(_h.Containers.Top(c.Id));
        for (var i = 0; i < 150 && p.CpuTime < TimeSpan.FromSeconds(0.5); i++)
        {
            await Task.Delay(100);
            p = Assert.Single(_h.Containers.Top(c.Id));
        }
        Assert.True(p.CpuTime >= TimeSpan.FromSeconds(0.5), $"cpu time {p.CpuTime}");
        Assert.InRange(p.Cpu, 1, 100);
        Assert.Equal('R', p.State);
    }

    [Fact]
    public void A_tty_container_shows_its_terminal()
    {
        var c = _h.Run(new ContainerCreateOptions { Tty = true, Command = new[] { "sleep", "300" } });
        var p = Assert.Single(_h.Containers.Top(c.Id));
        // The pty comes from the host's /dev/ptmx: its number depends on what else holds one.
        Assert.Matches(@"^pts/\d+$", p.Tty);
    }

    [Fact]
    public async Task Top_of_a_paused_container_still_lists_it()
    {
        var c = _h.Run("sleep", "300");
        await _h.Containers.PauseAsync(c.Id, true, CancellationToken.None);
        Assert.Equal("sleep 300", Assert.Single(_h.Containers.Top(c.Id)).Command);
    }

    [Fact]
    public async Task Top_of_a_stopped_container_is_refused_and_of_a_missing_one_not_found()
    {
        var r = await _h.RunToEnd("true");
        var ex = Assert.Throws<ConflictException>(() => _h.Containers.Top(r.Id));
        Assert.Equal("ContainerNotRunning", ex.ErrorId);
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Throws<NotFoundException>(() => _h.Containers.Top("no-such-container"));
    }
}
