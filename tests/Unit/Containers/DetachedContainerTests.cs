using System.Globalization;
using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// No daemon: a detached container belongs to its own monitor, not to the shell or the
/// <see cref="ContainerManager"/> that started it. Any other manager on the store sees and drives it.
/// </summary>
[Collection("Containers")]
public sealed class DetachedContainerTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    [Fact]
    public async Task Another_manager_sees_it_running_and_can_stop_it()
    {
        string id;
        int pid;
        {
            var starter = _h.NewManager();
            var c = starter.Run(new ContainerCreateOptions { Image = "busybox", Command = new[] { "sh", "-c", "trap 'exit 5' TERM; echo ready; while true; do sleep 0.05; done" } });
            id = c.Id;
            pid = c.Pid;
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var other = _h.NewManager();
        var seen = other.Get(id);
        Assert.Equal(ContainerStatus.Running, seen.State);
        Assert.True(seen.Pid > 0);
        Assert.Equal(pid, seen.Pid);
        Assert.True(Directory.Exists($"/proc/{seen.Pid}"));
        Assert.Contains(other.List(), c => c.Id == id);

        // The monitor leads its own session: closing the starting shell's terminal (SIGHUP to
        // its session) does not reach it.
        var monitor = ContainerHarness.ProcessesMentioning(id).Single(p => File.ReadAllText($"/proc/{p}/cmdline").Contains("\0monitor\0", StringComparison.Ordinal));
        var fields = StatFields(monitor);
        Assert.Equal(monitor.ToString(CultureInfo.InvariantCulture), fields[3]); // session ID = its own PID
        Assert.NotEqual(StatFields(Environment.ProcessId)[3], fields[3]);
        // The container's PID 1 is the monitor's child.
        Assert.Equal(monitor.ToString(CultureInfo.InvariantCulture), StatFields(seen.Pid)[1]);

        await _h.WaitForOutput(id, "ready"); // the trap is set: the TERM is not dropped
        var stopped = await _h.Stop(other, id);
        Assert.Equal(ContainerStatus.Exited, stopped.State);
        Assert.Equal(5, stopped.ExitCode);
        Assert.Equal(ContainerStatus.Exited, _h.Containers.Get(id).State);
    }

    [Fact]
    public async Task Its_log_is_readable_from_another_manager_while_it_runs()
    {
        var c = _h.Run("sh", "-c", "echo one; echo two; while true; do sleep 0.05; done");
        var other = _h.NewManager();
        Assert.True(await ContainerHarness.Eventually(() =>
        {
            var lines = new List<string>();
            foreach (var l in other.ReadLogsAsync(c.Id, new LogReadOptions(), CancellationToken.None).ToBlockingEnumerable()) lines.Add(l.Text);
            return lines.SequenceEqual(new[] { "one", "two" });
        }, TimeSpan.FromSeconds(3)));
    }
}
