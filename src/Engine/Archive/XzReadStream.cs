using SharpCompress.Compressors.Xz;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// SharpCompress's <see cref="XZStream"/> made to fit <see cref="Compression.Decompress"/>:
/// it owns (disposes) its input, and it reads the input through a counting stream whose
/// Position starts at 0, because XZStream aligns blocks on the input's Position (which a
/// non-seekable stream lacks, and which is wrong for an xz stream starting mid-file).
/// </summary>
internal sealed class XzReadStream : Stream
{
    private readonly Stream _input;
    private readonly XZStream _xz;

    public XzReadStream(Stream input)
    {
        _input = input is PeekStream ? input : PeekStream.Create(input, 0);
        _xz = new XZStream(_input);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _xz.Read(buffer, offset, count);
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _xz.Dispose();
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}
