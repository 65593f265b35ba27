using ContainerPS.Runtime.IO;
using System.Text;
using System.Threading.Channels;

namespace ContainerPS.Module.Containers;

/// <summary>
/// A container's standard input fed from the PowerShell pipeline: every input object becomes
/// a line (UTF-8, "\n"), written as it arrives, and <see cref="Complete"/> is end of file.
/// Reads wait for the next line and honour cancellation.
/// </summary>
internal sealed class PipelineInputStream : ReadOnlyStream
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly Channel<byte[]> _lines = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private ReadOnlyMemory<byte> _current = ReadOnlyMemory<byte>.Empty;

    /// <summary>Queues <paramref name="line"/> and a newline for the container.</summary>
    public void WriteLine(string line) => _lines.Writer.TryWrite(Utf8.GetBytes(line + "\n"));

    /// <summary>No more input: the container reads end of file once the queued lines are read.</summary>
    public void Complete() => _lines.Writer.TryComplete();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        while (_current.IsEmpty)
        {
            if (!await _lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
            if (_lines.Reader.TryRead(out var next)) _current = next;
        }
        var n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        return n;
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing) Complete();
        base.Dispose(disposing);
    }
}
