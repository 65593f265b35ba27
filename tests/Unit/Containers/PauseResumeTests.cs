using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>docker pause / unpause: the cgroup freezer stops every process; nothing runs until resumed.</summary>
[Collection("Containers")]
public sealed class PauseResumeTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>The counter the container writes to /tmp/count, read from its upper dir on the host.</summary>
    private int Counter(string id)
    {
        var path = Path.Combine(_h.DirOf(id), "diff", "tmp", "count");
        try { return int.TryParse(File.ReadAllText(path).Trim(), out var n) ? n : -1; }
        catch (IOException) { return -1; }
    }

    [Fact]
    public async Task A_paused_container_makes_no_progress_until_resumed()
    {
        var c = _h.Run("sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.02; done");
        Assert.True(await ContainerHarness.Eventually(() => Counter(c.Id) > 3, TimeSpan.FromSeconds(3)), "the counter runs");

        var paused = await _h.Containers.PauseAsync(c.Id, pause: true, CancellationToken.None);
        Assert.Equal(ContainerStatus.Paused, paused.State);
        Assert.True(paused.Running);
        Assert.EndsWith("(Paused)", paused.Status, StringComparison.Ordinal);
        var frozenAt = Counter(c.Id);
        await Task.Delay(500);
        Assert.Equal(frozenAt, Counter(c.Id));
        Assert.Equal(ContainerStatus.Paused, _h.Containers.Get(c.Id).State);

        var resumed = await _h.Containers.PauseAsync(c.Id, pause: false, CancellationToken.None);
        Assert.Equal(ContainerStatus.Running, resumed.State);
        Assert.True(await ContainerHarness.Eventually(() => Counter(c.Id) > frozenAt + 3, TimeSpan.FromSeconds(3)), "the counter runs again");
    }

    [Fact]
    public async Task Pausing_twice_or_resuming_a_running_container_is_refused()
    {
        var c = _h.Run("sleep", "1000");
        var notPaused = await Assert.ThrowsAsync<ConflictException>(() => _h.Containers.PauseAsync(c.Id, pause: false, CancellationToken.None));
        Assert.Equal("ContainerNotPaused", notPaused.ErrorId);
        await _h.Containers.PauseAsync(c.Id, pause: true, CancellationToken.None);
        var twice = await Assert.ThrowsAsync<ConflictException>(() => _h.Containers.PauseAsync(c.Id, pause: true, CancellationToken.None));
        Assert.Equal("ContainerPaused", twice.ErrorId);
    }

    [Fact]
    public async Task A_paused_container_can_be_stopped()
    {
        // PID 1 gets only the signals it handles: a TERM sent before the shell has run its trap
        // line is dropped by the kernel, and the stop ends in a SIGKILL (137). Pause once it has.
        var c = _h.Run("sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.05; done");
        await _h.WaitForOutput(c.Id, "ready");
        await _h.Containers.PauseAsync(c.Id, pause: true, CancellationToken.None);
        var stopped = await _h.Stop(c.Id, 5, null);
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        Assert.Equal(7, stopped.ExitCode);
    }

    [Fact]
    public async Task A_paused_container_can_be_force_removed()
    {
        var c = _h.Run("sleep", "1000");
        await _h.Containers.PauseAsync(c.Id, pause: true, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ConflictException>(() => _h.Containers.RemoveAsync(c.Id, force: false, CancellationToken.None));
        Assert.Equal("ContainerRunning", ex.ErrorId);
        await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        Assert.False(_h.Containers.TryGet(c.Id, out _));
        Assert.True(await ContainerHarness.Eventually(() => !ContainerHarness.MonitorProcessAlive(c.Id), TimeSpan.FromSeconds(3)));
    }
}
