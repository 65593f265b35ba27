using System.Text;
using ContainerPS.Runtime.Init;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class InitSetupTests
{
    [Theory]
    [InlineData("own")]
    [InlineData("host")]
    [InlineData("/proc/4242/ns/net")]
    public void A_setup_line_reads_back_as_written(string network)
    {
        var setup = new InitSetup { Network = network, CgroupTaskFiles = new[] { "/sys/fs/cgroup/memory/containerps/abc/tasks", "/sys/fs/cgroup/pids/containerps/abc/tasks" } };
        var line = Encoding.UTF8.GetString(setup.Encode());

        Assert.EndsWith("\n", line);
        Assert.Single(line.Split('\n'), l => l.Length > 0);
        var back = InitSetup.Parse(line.TrimEnd('\n'));
        Assert.Equal(network, back.Network);
        Assert.Equal(setup.CgroupTaskFiles, back.CgroupTaskFiles);
    }

    [Fact]
    public void No_tasks_files_reads_back_as_none()
    {
        var line = Encoding.UTF8.GetString(new InitSetup { Network = "own" }.Encode()).TrimEnd('\n');
        Assert.Empty(InitSetup.Parse(line).CgroupTaskFiles);
    }

    [Theory]
    [InlineData("/a\nb")]
    [InlineData("/a\0b")]
    public void A_field_that_would_break_the_line_is_refused(string file)
    {
        Assert.Throws<ArgumentException>(() => new InitSetup { Network = "own", CgroupTaskFiles = new[] { file } }.Encode());
    }

    [Fact]
    public void An_unknown_network_is_a_format_error()
    {
        var e = Assert.Throws<FormatException>(() => InitSetup.Parse("bridge\0/x/tasks"));
        Assert.Contains("bridge", e.Message);
    }

    [Theory]
    [InlineData(null, false, "own")]
    [InlineData(null, true, "host")]
    [InlineData("/run/containerps/netns/x", false, "/run/containerps/netns/x")]
    public void The_network_follows_the_monitor_config(string? netns, bool host, string expected) =>
        Assert.Equal(expected, InitSetup.NetworkFor(netns, host));
}
