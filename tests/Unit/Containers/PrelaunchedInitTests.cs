using System.Text;
using ContainerPS.Engine.Containers;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// Containers whose init the monitor starts ahead, while the engine still creates them
/// (built-in runtime, no terminal or open stdin, network none or host: <c>InitPrelaunch</c>):
/// they must be the same containers as those of the ordinary launch.
/// </summary>
[Collection("Containers")]
public sealed class PrelaunchedInitTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    public async Task It_is_isolated_limited_and_set_up_like_any_container(string network)
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions
        {
            Network = network,
            Memory = 64 * 1024 * 1024,
            User = "nobody",
            WorkingDir = "/tmp",
            Environment = { ["GREETING"] = "hi" },
            Command = new[] { "sh", "-c",
                "echo pid1=$(cat /proc/1/cmdline | tr '\\0' ' '); echo host=$(hostname); echo uid=$(id -u) cwd=$(pwd) env=$GREETING; " +
                "echo limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes); grep CapEff /proc/self/status; " +
                "(echo x > /proc/sys/kernel/domainname) 2>/dev/null && echo sysrw || echo sysro; " +
                "echo links=$(ls /sys/class/net | wc -l) lo=$(cat /sys/class/net/lo/operstate); exit 3" },
        });

        Assert.Equal(3, r.ExitCode);
        var lines = r.Stdout.Trim().Split('\n');
        Assert.StartsWith("pid1=sh -c echo pid1", lines[0]);
        Assert.Equal($"host={r.Id[..12]}", lines[1]);
        Assert.Equal("uid=65534 cwd=/tmp env=hi", lines[2]);
        Assert.Equal("limit=67108864", lines[3]);
        Assert.Equal("CapEff:\t0000000000000000", lines[4]); // nobody: no effective capabilities at all
        Assert.Equal("sysro", lines[5]);
        if (network == "none") Assert.Equal("links=1 lo=unknown", lines[6]); // loopback only, up (lo reports "unknown")
        else Assert.NotEqual("links=1", lines[6].Split(' ')[0]);
    }

    [Fact]
    public async Task Exec_joins_it_and_a_restart_launches_it_again_the_ordinary_way()
    {
        var c = _h.Run(new ContainerCreateOptions { Network = "none", RestartPolicy = "on-failure:1", Command = new[] { "sh", "-c", "echo run; sleep 0.3; exit 1" } });
        var output = new StringBuilder();
        var code = await _h.Containers.ExecAsync(c.Id, new ExecOptions { Command = new[] { "sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '" } },
            new AttachStreams { Output = (_, data) => { lock (output) output.Append(Encoding.UTF8.GetString(data.Span)); } }, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.StartsWith($"{c.Id[..12]}\nsh -c echo run", output.ToString());

        var final = await _h.Settled(c.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(ContainerStatus.Exited, final.State);
        Assert.Equal(1, final.RestartCount);
        Assert.Equal("run\nrun", (await _h.Logs(c.Id)).Stdout);
    }

    [Fact]
    public async Task A_start_error_is_reported_as_for_any_container()
    {
        var e = Assert.Throws<ContainerStartException>(() => _h.Run(new ContainerCreateOptions { Network = "none", Command = new[] { "/no/such" } }));
        Assert.Equal(127, e.ExitCode);
        Assert.Contains("/no/such", e.Message);
        Assert.True(await ContainerHarness.Eventually(() => ContainerHarness.ProcessesMentioning(_h.Store.Layout.Root).Count == 0, TimeSpan.FromSeconds(5)),
            string.Join(", ", ContainerHarness.ProcessesMentioning(_h.Store.Layout.Root)));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    [InlineData("bridge")] // only the monitor is started ahead
    public async Task A_run_whose_create_fails_ends_what_was_started_ahead(string network)
    {
        var first = _h.Run(new ContainerCreateOptions { Name = "taken", Network = network, Command = new[] { "sleep", "1000" } });
        var root = _h.Store.Layout.Root;
        var before = ContainerHarness.ProcessesMentioning(root).Order().ToList();

        Assert.Throws<ContainerPS.Engine.Errors.ConflictException>(() => _h.Run(new ContainerCreateOptions { Name = "taken", Network = network, Command = new[] { "true" } }));

        // The early monitor and the init it started ahead (both name the would-be container's
        // directory on their command lines) are gone, and nothing was written for it.
        Assert.True(await ContainerHarness.Eventually(() => ContainerHarness.ProcessesMentioning(root).Order().SequenceEqual(before), TimeSpan.FromSeconds(5)),
            $"processes of the store: {string.Join(", ", ContainerHarness.ProcessesMentioning(root))}, before: {string.Join(", ", before)}");
        Assert.Equal(new[] { first.Id }, Directory.EnumerateFileSystemEntries(_h.Store.Layout.Containers).Select(Path.GetFileName));
    }
}
