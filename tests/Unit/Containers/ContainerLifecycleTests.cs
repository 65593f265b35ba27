using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>Real containers from a busybox image through the engine API and the AOT shim.</summary>
[Collection("Containers")]
public sealed class ContainerLifecycleTests : IDisposable
{
    private readonly TempStore _t = new();
    private readonly ContainerManager _containers;

    public ContainerLifecycleTests()
    {
        _containers = new ContainerManager(_t.Layout, _t.Images) { ShimPath = ShimLocator.Find() };
        _t.Images.ImportAsync(BusyboxRootfs.Write(_t.PathFor("busybox.tar")), "busybox:latest",
            new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        foreach (var c in _containers.List(all: true))
        {
            try { _containers.RemoveAsync(c.Id, force: true, CancellationToken.None).GetAwaiter().GetResult(); }
            catch (EngineException) { }
        }
        _t.Dispose();
    }

    private async Task<(int ExitCode, string Output)> RunToEnd(params string[] command)
    {
        var c = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = command });
        var code = await _containers.WaitAsync(c.Id, CancellationToken.None);
        var lines = new List<string>();
        await foreach (var line in _containers.ReadLogsAsync(c.Id, new LogReadOptions(), CancellationToken.None)) lines.Add(line.Text);
        return (code, string.Join("\n", lines));
    }

    [Fact]
    public async Task A_container_runs_its_command_as_pid_1_and_its_output_is_logged()
    {
        var (code, output) = await RunToEnd("sh", "-c", "echo hello; echo pid=$$; echo oops >&2; exit 3");
        Assert.Equal(3, code);
        Assert.Equal("hello\npid=1\noops", output);
    }

    [Fact]
    public async Task A_missing_command_fails_to_start_with_exit_code_127()
    {
        var ex = Assert.Throws<ContainerStartException>(() => _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "/no/such/program" } }));
        Assert.Equal(127, ex.ExitCode);
        Assert.Contains("/no/such/program", ex.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_detached_container_can_be_stopped_and_is_killed_after_the_timeout()
    {
        var c = _containers.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sleep", "1000" } });
        Assert.Equal(ContainerStatus.Running, _containers.Get(c.Id).State);
        var stopped = await _containers.StopAsync(c.Id, 1, null, CancellationToken.None);
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        Assert.Equal(137, stopped.ExitCode); // sleep as PID 1 ignores SIGTERM: SIGKILL after the timeout
    }
}
