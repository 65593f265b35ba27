using System.Text;
using System.Threading.Channels;
using ContainerPS.Engine.Containers;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.OciRuntimes;

public sealed partial class OciRuntimeTests
{
    /// <summary>
    /// Docker's `run -t`: every runtime makes the terminal inside the container, from its own
    /// devpts. The built-in init sends the master over a console socket; runc's and crun's
    /// foreground `run` do the same with a console socket of their own and relay it to the host
    /// pty the monitor gives them.
    /// </summary>
    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task A_tty_containers_terminal_is_pts_0_of_its_own_devpts_and_its_console(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Create(tty: true, "sh", "-c", "tty; test -c /dev/console && echo console-is-a-device; echo via-console > /dev/console");
        _containers.Start(c.Id);
        Assert.Equal(0, await _containers.WaitAsync(c.Id, CancellationToken.None));
        var output = (await Logs(c.Id)).Select(l => l.TrimEnd('\r', '\n')).ToList();
        Assert.True(output.SequenceEqual(new[] { "/dev/pts/0", "console-is-a-device", "via-console" }), $"{runtime}: {string.Join(" | ", output)}");

        await _containers.RemoveAsync(c.Id, force: false, CancellationToken.None);
        AssertNothingLeft(runtime, c.Id);
    }

    /// <summary>
    /// An attached client's window size reaches the container's terminal: the built-in runtime's
    /// master directly; runc's through the host pty it relays, told by SIGWINCH (crun before 1.9
    /// passes that signal through instead, see Exec_with_a_tty_follows_the_clients_window_size).
    /// </summary>
    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    public async Task Resizes_reach_the_containers_terminal(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Create(tty: true, "sh", "-c", "trap 'stty size; exit 0' WINCH; echo ready; while true; do sleep 0.05; done");
        _containers.Start(c.Id);
        var output = new StringBuilder();
        var sizes = Channel.CreateUnbounded<(int, int)>();
        var attach = _containers.AttachAsync(c.Id, new AttachStreams
        {
            Output = (_, data) => { lock (output) output.Append(Encoding.UTF8.GetString(data.Span)); },
            Resizes = sizes.Reader,
        }, CancellationToken.None);
        // The attach may come after "ready" was written: look in the log too.
        Assert.True(await ContainerHarness.Eventually(() => Logs(c.Id).GetAwaiter().GetResult().Any(l => l.Contains("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)), runtime);
        await sizes.Writer.WriteAsync((40, 100));
        Assert.Equal(0, await attach.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("40 100", string.Concat(await Logs(c.Id)), StringComparison.Ordinal);
    }
}
