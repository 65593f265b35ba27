using System.Text;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>docker exec into real running containers.</summary>
[Collection("Containers")]
public sealed class ExecTests : IDisposable
{
    private readonly TempStore _t = new();
    private readonly ContainerManager _containers;
    private readonly Container _running;

    public ExecTests()
    {
        _containers = new ContainerManager(_t.Layout, _t.Images) { ShimPath = ShimLocator.Find() };
        _t.Images.ImportAsync(BusyboxRootfs.Write(_t.PathFor("busybox.tar")), "busybox:latest",
            new[] { "CMD [\"sh\"]" }, null, null, CancellationToken.None).GetAwaiter().GetResult();
        _running = _containers.Run(new ContainerCreateOptions
        {
            Image = "busybox",
            Command = new[] { "sleep", "1000" },
            Environment = new Dictionary<string, string?> { ["FROM_RUN"] = "yes" },
            WorkingDir = "/tmp",
        });
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

    private async Task<(int Code, string Stdout, string Stderr)> Exec(ExecOptions options, Stream? stdin = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var code = await _containers.ExecAsync(_running.Id, options, new AttachStreams
        {
            Stdin = stdin,
            Output = (stream, data) =>
            {
                lock (stdout) (stream == "stdout" ? stdout : stderr).Append(Encoding.UTF8.GetString(data.Span));
            },
        }, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Exec_runs_inside_the_containers_namespaces_with_its_environment()
    {
        var (code, stdout, stderr) = await Exec(new ExecOptions
        {
            Command = new[] { "sh", "-c", "echo host=$(hostname) env=$FROM_RUN cwd=$(pwd); ps -o pid,comm | grep -c sleep; echo err >&2; exit 4" },
        });
        Assert.Equal(4, code);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal($"host={_running.Id[..12]} env=yes cwd=/tmp", lines[0]);
        Assert.Equal("1", lines[1]); // sees the container's own sleep (PID namespace joined)
        Assert.Equal("err\n", stderr);
    }

    [Fact]
    public async Task Exec_honours_user_workdir_and_environment_overrides()
    {
        var (code, stdout, _) = await Exec(new ExecOptions
        {
            Command = new[] { "sh", "-c", "echo $(id -u):$(id -g) $(pwd) $EXTRA $HOME" },
            User = "app",
            WorkingDir = "/home",
            Environment = new Dictionary<string, string?> { ["EXTRA"] = "x" },
        });
        Assert.Equal(0, code);
        Assert.Equal("1000:1000 /home x /home", stdout.Trim());
    }

    [Fact]
    public async Task Exec_feeds_stdin_when_interactive()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("one\ntwo\n"));
        var (code, stdout, _) = await Exec(new ExecOptions { Command = new[] { "wc", "-l" }, Interactive = true }, input);
        Assert.Equal(0, code);
        Assert.Equal("2", stdout.Trim());
    }

    [Fact]
    public async Task Exec_of_a_missing_program_fails_with_127_and_exec_in_a_stopped_container_is_refused()
    {
        var ex = await Assert.ThrowsAsync<ContainerStartException>(() => Exec(new ExecOptions { Command = new[] { "nosuchprogram" } }));
        Assert.Equal(127, ex.ExitCode);
        Assert.Contains("nosuchprogram", ex.Message);
        await _containers.StopAsync(_running.Id, 0, null, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ConflictException>(() => Exec(new ExecOptions { Command = new[] { "true" } }));
        Assert.Equal("ContainerNotRunning", refused.ErrorId);
    }
}
