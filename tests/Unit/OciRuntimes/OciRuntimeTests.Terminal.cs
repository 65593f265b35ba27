using ContainerPS.Engine.Containers;

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
}
