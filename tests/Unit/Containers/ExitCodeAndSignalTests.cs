using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>Exit codes as docker reports them: the process's own, 128 + signal when killed.</summary>
[Collection("Containers")]
public sealed class ExitCodeAndSignalTests : IDisposable
{
    /// <summary>A PID 1 shell that exits 7 on SIGTERM (PID 1 gets only signals it handles).</summary>
    private static readonly string[] TrapShell = { "sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.05; done" };

    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    private Task WaitForReady(string id) => _h.WaitForOutput(id, "ready");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public async Task The_exit_code_is_the_process_exit_code(int code)
    {
        var r = await _h.RunToEnd("sh", "-c", $"exit {code}");
        Assert.Equal(code, r.ExitCode);
        var c = _h.Containers.Get(r.Id);
        Assert.Equal(ContainerStatus.Exited, c.State);
        Assert.Equal(code, c.ExitCode);
        Assert.Equal(0, c.Pid);
        Assert.NotNull(c.FinishedAt);
        Assert.False(c.OomKilled);
        Assert.StartsWith($"Exited ({code})", c.Status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_by_sigkill_is_137()
    {
        var c = _h.Run("sleep", "1000");
        var killed = await _h.Kill(c.Id, null);
        Assert.Equal(ContainerStatus.Exited, killed.State);
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(137, await _h.Wait(c.Id));
    }

    [Fact]
    public async Task Sigterm_to_a_trap_handler_gives_its_exit_code()
    {
        var c = _h.Run(TrapShell);
        await WaitForReady(c.Id);
        await _h.Kill(c.Id, "SIGTERM");
        Assert.Equal(7, await _h.Wait(c.Id, 5));
        Assert.Equal(7, (await _h.Settled(c.Id, TimeSpan.FromSeconds(3))).ExitCode);
    }

    [Fact]
    public async Task A_signal_pid_1_does_not_handle_is_ignored()
    {
        var c = _h.Run("sleep", "1000");
        await _h.Kill(c.Id, "TERM");
        await Task.Delay(300);
        Assert.Equal(ContainerStatus.Running, _h.Containers.Get(c.Id).State);
    }

    [Fact]
    public async Task Stop_sends_sigterm_first_and_reports_the_handler_exit_code()
    {
        var c = _h.Run(TrapShell);
        await WaitForReady(c.Id);
        var started = DateTime.UtcNow;
        var stopped = await _h.Stop(c.Id, 10, null);
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        Assert.Equal(7, stopped.ExitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the handler exited at once: no wait for the timeout");
    }

    [Fact]
    public async Task Stop_with_another_signal_uses_it()
    {
        var c = _h.Run("sh", "-c", "trap 'exit 3' USR1; trap 'exit 7' TERM; echo ready; while true; do sleep 0.05; done");
        await WaitForReady(c.Id);
        var stopped = await _h.Stop(c.Id, 10, "SIGUSR1");
        Assert.Equal(3, stopped.ExitCode);
    }

    [Fact]
    public async Task Stop_kills_after_the_timeout_when_sigterm_is_ignored()
    {
        var c = _h.Run("sleep", "1000");
        var started = DateTime.UtcNow;
        var stopped = await _h.Stop(c.Id, 1, null);
        Assert.Equal(137, stopped.ExitCode);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.9, 4);
    }

    [Fact]
    public async Task Killing_a_stopped_container_is_refused()
    {
        var r = await _h.RunToEnd("true");
        var ex = await Assert.ThrowsAsync<Engine.Errors.ConflictException>(() => _h.Containers.KillAsync(r.Id, null, CancellationToken.None));
        Assert.Equal("ContainerNotRunning", ex.ErrorId);
    }
}
