using System.Text;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// The terminal of a -Tty container is made inside it, as runc does: from the container's own
/// devpts, so `tty` names /dev/pts/0 there, /dev/console is that terminal, and an exec with a
/// TTY gets the next /dev/pts/N of the same devpts. The master reaches the monitor (or the
/// engine, for exec) over a console socket; output, input and sizes go through it as before.
/// </summary>
[Collection("Containers")]
public sealed class ContainerConsoleTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<(int? Code, string Output)> RunAttached(ContainerCreateOptions options, (int, int)? size = null)
    {
        var c = _h.Containers.Run(options, waitForAttach: true);
        var output = new StringBuilder();
        var code = await _h.Containers.AttachAsync(c.Id, new AttachStreams
        {
            Output = (_, data) => { lock (output) output.Append(Encoding.UTF8.GetString(data.Span)); },
            Size = size,
        }, CancellationToken.None);
        lock (output) return (code, output.ToString());
    }

    private async Task<(int Code, string Output)> Exec(string id, ExecOptions options, (int, int)? size = null)
    {
        var output = new StringBuilder();
        var code = await _h.Containers.ExecAsync(id, options, new AttachStreams
        {
            Output = (_, data) => { lock (output) output.Append(Encoding.UTF8.GetString(data.Span)); },
            Size = size,
        }, CancellationToken.None);
        lock (output) return (code, output.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tty_containers_terminal_is_its_own_pts_0_and_its_console(bool interactive)
    {
        var (code, output) = await RunAttached(new ContainerCreateOptions
        {
            Image = "busybox",
            Tty = true,
            Interactive = interactive,
            Command = new[] { "sh", "-c", "tty; ls /dev/pts; test -c /dev/console && echo console-is-a-tty-device; echo written-to-console > /dev/console" },
        });
        Assert.Equal(0, code);
        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/dev/pts/0", lines[0]);
        Assert.Contains("console-is-a-tty-device", lines);
        Assert.Contains("written-to-console", lines);
        // /dev/pts is the container's own instance: its pty and ptmx, none of the host's.
        Assert.Equal(new[] { "0", "ptmx" }, lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Without_a_tty_there_is_no_terminal_and_no_console()
    {
        var r = await _h.RunToEnd("sh", "-c", "tty; test -e /dev/console && echo console || echo no-console");
        Assert.Equal(0, r.ExitCode);
        var (stdout, _) = await _h.Logs(r.Id);
        Assert.Equal("not a tty\nno-console", stdout);
    }

    [Fact]
    public async Task An_exec_with_a_tty_gets_the_next_pts_of_the_containers_devpts()
    {
        var c = _h.Run(new ContainerCreateOptions { Tty = true, Interactive = true, Command = new[] { "sh", "-c", "tty; sleep 1000" } });
        await _h.WaitForOutput(c.Id, "/dev/pts/0");

        var (code, output) = await Exec(c.Id, new ExecOptions { Command = new[] { "tty" }, Tty = true });
        Assert.Equal(0, code);
        Assert.Equal("/dev/pts/1", output.Trim());

        var plain = await Exec(c.Id, new ExecOptions { Command = new[] { "tty" } });
        Assert.Equal(1, plain.Code);
        Assert.Equal("not a tty", plain.Output.Trim());
    }

    [Fact]
    public async Task An_exec_with_a_tty_into_a_container_without_one_gets_pts_0_and_its_size()
    {
        var c = _h.Run("sleep", "1000");
        var (code, output) = await Exec(c.Id, new ExecOptions { Command = new[] { "sh", "-c", "tty; stty size" }, Tty = true }, (33, 77));
        Assert.Equal(0, code);
        Assert.Equal(new[] { "/dev/pts/0", "33 77" }, output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_tty_start_or_exec_that_cannot_run_still_reports_its_error()
    {
        var start = Assert.Throws<ContainerStartException>(() => _h.Run(new ContainerCreateOptions { Tty = true, Command = new[] { "no-such-command" } }));
        Assert.Equal(127, start.ExitCode);
        Assert.Contains("no-such-command", start.Message, StringComparison.Ordinal);

        var c = _h.Run(new ContainerCreateOptions { Tty = true, Command = new[] { "sleep", "1000" } });
        var exec = await Assert.ThrowsAsync<ContainerStartException>(() => Exec(c.Id, new ExecOptions { Command = new[] { "no-such-command" }, Tty = true }));
        Assert.Equal(127, exec.ExitCode);
        // The container and its terminal are unharmed.
        Assert.Equal("/dev/pts/1", (await Exec(c.Id, new ExecOptions { Command = new[] { "tty" }, Tty = true })).Output.Trim());
    }

    [Fact]
    public async Task Every_restart_gets_a_new_terminal_in_the_container()
    {
        var c = _h.Run(new ContainerCreateOptions { Tty = true, RestartPolicy = "on-failure:2", Command = new[] { "sh", "-c", "tty; exit 1" } });
        var final = await _h.Settled(c.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(2, final.RestartCount);
        Assert.Equal(new[] { "/dev/pts/0", "/dev/pts/0", "/dev/pts/0" }, (await _h.Logs(c.Id)).Stdout.Split('\n').Select(l => l.TrimEnd('\r')));
    }
}
