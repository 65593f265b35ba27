using System.Text;
using System.Threading.Channels;
using ContainerPS.Engine.Containers;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.OciRuntimes;

/// <summary>
/// docker exec into a container of each runtime: the built-in one's shim, or
/// `&lt;runtime&gt; exec --process` on the runtime's own state (runc and crun join the namespaces
/// and the cgroup themselves). Output, exit codes, user, directory, environment and a TTY
/// behave the same.
/// </summary>
public sealed partial class OciRuntimeTests
{
    private async Task<(int Code, string Stdout, string Stderr)> Exec(string id, ExecOptions options, (int, int)? size = null, ChannelReader<(int, int)>? resizes = null, StringBuilder? stdout = null)
    {
        stdout ??= new StringBuilder();
        var stderr = new StringBuilder();
        var code = await _containers.ExecAsync(id, options, new AttachStreams
        {
            Output = (stream, data) =>
            {
                lock (stdout) (stream == "stdout" ? stdout : stderr).Append(Encoding.UTF8.GetString(data.Span));
            },
            Size = size,
            Resizes = resizes,
        }, CancellationToken.None);
        lock (stdout) return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Exec_streams_output_and_returns_the_exit_code(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var (code, stdout, stderr) = await Exec(c.Id, new ExecOptions { Command = new[] { "sh", "-c", "echo out; echo err >&2; echo $$; exit 3" } });
        Assert.True(code == 3, $"{runtime}: exit {code}: {stdout} {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("out", lines[0]);
        Assert.NotEqual("1", lines[1]); // a new process beside PID 1, in the container's PID namespace
        Assert.True(int.Parse(lines[1]) < 1000, $"{runtime}: PID {lines[1]} is not one of the container's");
        Assert.Equal("err\n", stderr);
        Assert.True(_containers.Get(c.Id).Running);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Exec_takes_user_working_directory_and_environment(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var (code, stdout, stderr) = await Exec(c.Id, new ExecOptions
        {
            Command = new[] { "sh", "-c", "id -u; id -g; pwd; echo $GREETING; echo $HOME; grep CapEff /proc/self/status; [ \"$(grep -v ^0:: /proc/self/cgroup)\" = \"$(grep -v ^0:: /proc/1/cgroup)\" ] && echo same-cgroup-as-pid-1" },
            User = "nobody",
            WorkingDir = "/tmp",
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hello there" },
        });
        Assert.True(code == 0, $"{runtime}: exit {code}: {stdout} {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("65534", lines[0]);
        Assert.Equal("65534", lines[1]);
        Assert.Equal("/tmp", lines[2]);
        Assert.Equal("hello there", lines[3]);
        Assert.Equal("/home", lines[4]); // nobody's home in busybox's /etc/passwd
        Assert.Equal("CapEff:\t0000000000000000", lines[5]); // a non-root user keeps no effective capabilities
        // In the container's cgroups (v1 controllers; hybrid mode's controller-less unified tree is joined late and apart).
        Assert.Equal("same-cgroup-as-pid-1", lines[6]);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Exec_of_a_missing_command_fails_with_127(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var ex = await Assert.ThrowsAsync<ContainerStartException>(() => Exec(c.Id, new ExecOptions { Command = new[] { "no-such-command" } }));
        Assert.Equal(127, ex.ExitCode);
        Assert.Contains("no-such-command", ex.Message, StringComparison.Ordinal);
        Assert.True(_containers.Get(c.Id).Running);
    }

    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    [InstalledRuntime("crun")]
    public async Task Exec_with_a_tty_gets_a_terminal_of_the_containers_devpts_with_the_clients_size(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var (code, stdout, _) = await Exec(c.Id, new ExecOptions { Command = new[] { "sh", "-c", "tty; stty size; exit 4" }, Tty = true }, (33, 77));
        Assert.True(code == 4, $"{runtime}: exit {code}: {stdout}");
        if (runtime == "crun")
        {
            // crun 1.8.1 sets the size from its side after the process may have started, and then
            // sometimes logs a (colour-coded, empty) warning into the terminal: seen once in
            // a loaded run as "stty: standard input" (a 0x0 terminal). Its terminal is checked only.
            Assert.Contains("/dev/pts/0\r\n", stdout, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(new[] { "/dev/pts/0", "33 77" }, stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    /// <remarks>
    /// Not crun: crun before 1.9 (Debian 12 has 1.8.1) takes the size at start (process.consoleSize,
    /// checked above) but passes a later SIGWINCH through to the process instead of copying the
    /// new size to the container's terminal (fixed by containers/crun#1262).
    /// </remarks>
    [Theory]
    [InstalledRuntime("builtin")]
    [InstalledRuntime("runc")]
    public async Task Exec_with_a_tty_follows_the_clients_window_size(string runtime)
    {
        using var scope = new RuntimeScope(_containers, runtime);
        var c = scope.Run("sleep", "1000");
        var sizes = Channel.CreateUnbounded<(int, int)>();
        var output = new StringBuilder();
        var exec = Exec(c.Id, new ExecOptions { Command = new[] { "sh", "-c", "trap 'stty size; exit 0' WINCH; echo ready; while true; do sleep 0.05; done" }, Tty = true }, (24, 80), sizes.Reader, output);
        Assert.True(await ContainerHarness.Eventually(() => { lock (output) return output.ToString().Contains("ready", StringComparison.Ordinal); }, TimeSpan.FromSeconds(30)), $"{runtime}: {output}");
        await sizes.Writer.WriteAsync((40, 100));
        var (code, stdout, _) = await exec.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"{runtime}: exit {code}: {stdout}");
        Assert.Contains("40 100", stdout, StringComparison.Ordinal);
    }
}
