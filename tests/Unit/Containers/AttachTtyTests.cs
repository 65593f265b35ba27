using System.Text;
using System.Threading.Channels;
using ContainerPS.Engine.Containers;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>
/// Window sizes for TTY containers through the engine's attach: the size given with the
/// attach is set before a held container runs, and later sizes reach the container's
/// terminal both through the attach stream (with stdin) and as control requests (without).
/// </summary>
[Collection("Containers")]
public sealed class AttachTtyTests : IDisposable
{
    private readonly ContainerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_held_tty_container_starts_with_the_attaching_clients_window_size()
    {
        var c = _h.Containers.Run(new ContainerCreateOptions { Image = "busybox", Tty = true, Command = new[] { "stty", "size" } }, waitForAttach: true);
        var output = new Output();
        var code = await _h.Containers.AttachAsync(c.Id, new AttachStreams { Output = output.Add, Size = (33, 77) }, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal("33 77", output.Text.Trim());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Resizes_reach_an_attached_tty_container(bool withStdin)
    {
        var c = _h.Containers.Run(new ContainerCreateOptions
        {
            Image = "busybox",
            Tty = true,
            Interactive = withStdin,
            Command = new[] { "sh", "-c", "trap 'echo size=$(stty size)' WINCH; echo ready; while true; do sleep 0.1; done" },
        }, waitForAttach: true);
        var output = new Output();
        var sizes = Channel.CreateUnbounded<(int, int)>();
        using var stdin = new BlockingStream();
        using var cancel = new CancellationTokenSource();
        var attach = _h.Containers.AttachAsync(c.Id, new AttachStreams
        {
            Output = output.Add,
            Stdin = withStdin ? stdin : null,
            Size = (24, 80),
            Resizes = sizes.Reader,
        }, cancel.Token);

        Assert.True(await ContainerHarness.Eventually(() => output.Text.Contains("ready"), TimeSpan.FromSeconds(10)), output.Text);
        await sizes.Writer.WriteAsync((40, 100));
        Assert.True(await ContainerHarness.Eventually(() => output.Text.Contains("size=40 100"), TimeSpan.FromSeconds(10)), output.Text);
        await sizes.Writer.WriteAsync((50, 120));
        Assert.True(await ContainerHarness.Eventually(() => output.Text.Contains("size=50 120"), TimeSpan.FromSeconds(10)), output.Text);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attach);
        Assert.True(_h.Containers.Get(c.Id).Running); // ending the attach leaves the container running
    }

    private sealed class Output
    {
        private readonly StringBuilder _text = new();

        public void Add(string stream, ReadOnlyMemory<byte> data)
        {
            lock (_text) _text.Append(Encoding.UTF8.GetString(data.Span));
        }

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }
    }

    /// <summary>Standard input nobody types on: reads wait until cancelled.</summary>
    private sealed class BlockingStream : ContainerPS.Runtime.IO.ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
