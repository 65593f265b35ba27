using System.Buffers;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>Docker's --detach-keys notation and the matching of the sequence in typed input.</summary>
public sealed class DetachKeysTests
{
    [Theory]
    [InlineData(null, new byte[] { 0x10, 0x11 })]
    [InlineData("", new byte[] { 0x10, 0x11 })]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 0x10, 0x11 })]
    [InlineData("ctrl-x,x", new byte[] { 0x18, (byte)'x' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f })]
    [InlineData("ctrl-a,ctrl-z,DEL,a", new byte[] { 1, 26, 127, (byte)'a' })]
    public void Parses_dockers_notation(string? keys, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(keys));

    [Theory]
    [InlineData("ctrl-P")]
    [InlineData("control-p")]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("ctrl-p,,ctrl-q")] // an empty key (so ',' itself cannot be one), as in Docker
    public void Unknown_keys_are_InvalidDetachKeys(string keys)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => DetachKeys.Parse(keys));
        Assert.Equal("InvalidDetachKeys", e.ErrorId);
        Assert.Contains(keys, e.Message);
    }

    [Fact]
    public void The_sequence_detaches_and_never_reaches_the_container()
    {
        var (forwarded, detached) = Feed(DetachKeys.DefaultBytes, "ls\r"u8.ToArray(), new byte[] { 0x10 }, new byte[] { 0x11, (byte)'z' });
        Assert.True(detached);
        Assert.Equal("ls\r"u8.ToArray(), forwarded);
    }

    [Fact]
    public void A_held_back_prefix_goes_through_when_the_next_key_does_not_continue_it()
    {
        // ctrl-p alone (shell history) reaches the container once the next key shows it is not ctrl-p ctrl-q.
        var (forwarded, detached) = Feed(DetachKeys.DefaultBytes, new byte[] { 0x10 }, new byte[] { (byte)'a' }, new byte[] { 0x10, 0x10, 0x11 });
        Assert.True(detached);
        Assert.Equal(new byte[] { 0x10, (byte)'a', 0x10 }, forwarded);

        var (partial, notYet) = Feed(DetachKeys.DefaultBytes, new byte[] { (byte)'x', 0x10 });
        Assert.False(notYet);
        Assert.Equal(new byte[] { (byte)'x' }, partial); // the ctrl-p is held until the next key
    }

    private static (byte[] Forwarded, bool Detached) Feed(byte[] keys, params byte[][] reads)
    {
        var matcher = new DetachKeyMatcher(keys);
        var forward = new ArrayBufferWriter<byte>();
        foreach (var read in reads)
            if (matcher.Feed(read, forward)) return (forward.WrittenSpan.ToArray(), true);
        return (forward.WrittenSpan.ToArray(), false);
    }
}
