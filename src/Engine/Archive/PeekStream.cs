namespace ContainerPS.Engine.Archive;

/// <summary>
/// A read-only stream that has already read the first bytes of a non-seekable stream (to sniff
/// a magic number) and serves them again before the rest. Disposing it disposes the inner stream.
/// </summary>
internal sealed class PeekStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _head;
    private readonly int _headLength;
    private int _headPosition;
    private long _position;

    private PeekStream(Stream inner, byte[] head, int headLength)
    {
        _inner = inner;
        _head = head;
        _headLength = headLength;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes (fewer only at end of stream).</summary>
    public static PeekStream Create(Stream inner, int count)
    {
        var head = new byte[count];
        var n = inner.ReadAtLeast(head, count, throwOnEndOfStream: false);
        return new PeekStream(inner, head, n);
    }

    public static async ValueTask<PeekStream> CreateAsync(Stream inner, int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        var n = await inner.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return new PeekStream(inner, head, n);
    }

    /// <summary>The first bytes of the stream (shorter than asked only if the stream is).</summary>
    public ReadOnlySpan<byte> Peeked => _head.AsSpan(0, _headLength);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    /// <summary>
    /// Bytes read so far. Readable although the stream cannot seek: SharpCompress's xz decoder
    /// reads Position to align blocks.
    /// </summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _headPosition < _headLength ? ReadHead(buffer) : _inner.Read(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < _headLength)
        {
            var n = ReadHead(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }
        return ReadInnerAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    private int ReadHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _headLength - _headPosition);
        _head.AsSpan(_headPosition, n).CopyTo(buffer);
        _headPosition += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
