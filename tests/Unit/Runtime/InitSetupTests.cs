using ContainerPS.Runtime.Init;

namespace ContainerPS.Tests.Unit.Runtime;

public sealed class InitSetupTests
{
    [Fact]
    public void A_setup_reads_back_as_written_and_nothing_after_it_is_taken()
    {
        var setup = new InitSetup { CgroupTaskFiles = new[] { "/sys/fs/cgroup/memory/containerps/abc/tasks", "/sys/fs/cgroup/pids/containerps/abc/tasks" } };
        using var pipe = new MemoryStream([.. setup.Encode(), InitSetup.CreatedByte, 1]);

        var back = InitSetup.Read(pipe)!;

        Assert.Equal(setup.CgroupTaskFiles, back.CgroupTaskFiles);
        Assert.Equal(InitSetup.CreatedByte, pipe.ReadByte()); // the created byte and the go byte are still there
        Assert.Equal(1, pipe.ReadByte());
    }

    [Fact]
    public void No_tasks_files_read_back_as_none_and_an_empty_pipe_as_no_setup()
    {
        using var pipe = new MemoryStream(new InitSetup().Encode());
        Assert.Empty(InitSetup.Read(pipe)!.CgroupTaskFiles);
        Assert.Null(InitSetup.Read(pipe));
    }

    [Fact]
    public void A_message_cut_short_or_with_a_wild_length_is_an_error()
    {
        var message = new InitSetup { CgroupTaskFiles = new[] { "/x/tasks" } }.Encode();
        Assert.Throws<EndOfStreamException>(() => InitSetup.Read(new MemoryStream(message[..^2])));
        Assert.Throws<EndOfStreamException>(() => InitSetup.Read(new MemoryStream(message[..2])));
        Assert.Throws<FormatException>(() => InitSetup.Read(new MemoryStream(new byte[] { 0xff, 0xff, 0xff, 0x7f, 1 })));
    }

    [Theory]
    [InlineData("/a\0b")]
    [InlineData("")]
    public void A_field_that_would_not_read_back_is_refused(string file)
    {
        Assert.Throws<ArgumentException>(() => new InitSetup { CgroupTaskFiles = new[] { file } }.Encode());
    }

    [Theory]
    [InlineData(null, false, "own")]
    [InlineData(null, true, "host")]
    [InlineData("/run/containerps/netns/x", false, "/run/containerps/netns/x")]
    public void The_network_follows_the_monitor_config(string? netns, bool host, string expected) =>
        Assert.Equal(expected, InitNetwork.For(netns, host));
}
