using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.ZStandard;

namespace ContainerPS.Engine.Archive;

/// <summary>
/// Recognises compressed layer and archive streams by their magic bytes (as Docker's
/// pkg/archive DetectCompression does) and opens a decompressing stream over them: gzip with
/// System.IO.Compression, bzip2, xz and zstd with SharpCompress.
/// </summary>
public static class Compression
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs to recognise every kind.</summary>
    public const int MagicLength = 6;

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B, 0x08];
    private static ReadOnlySpan<byte> Bzip2Magic => [0x42, 0x5A, 0x68]; // "BZh"
    private static ReadOnlySpan<byte> XzMagic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>
    /// The compression of a stream starting with <paramref name="header"/> (pass at least
    /// <see cref="MagicLength"/> bytes when the stream has them); <see cref="CompressionKind.None"/>
    /// when no magic matches.
    /// </summary>
    public static CompressionKind Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(GzipMagic)) return CompressionKind.Gzip;
        // "BZh" plus the block-size digit: stricter than Docker's 3 bytes, so a tar whose first
        // file name starts with "BZh" is less likely to be mistaken for bzip2.
        if (header.Length >= 4 && header.StartsWith(Bzip2Magic) && header[3] is >= (byte)'1' and <= (byte)'9') return CompressionKind.Bzip2;
        if (header.StartsWith(XzMagic)) return CompressionKind.Xz;
        if (header.StartsWith(ZstdMagic)) return CompressionKind.Zstd;
        // A zstd stream may open with a skippable frame: magic 0x184D2A50..0x184D2A5F, little-endian.
        if (header.Length >= 4 && (header[0] & 0xF0) == 0x50 && header[1] == 0x2A && header[2] == 0x4D && header[3] == 0x18)
            return CompressionKind.Zstd;
        return CompressionKind.None;
    }

    /// <summary>
    /// Sniffs the compression of <paramref name="input"/> and returns a stream of its
    /// decompressed content (the input itself, or a stream over it, when it is not compressed).
    /// The returned stream owns <paramref name="input"/>: disposing it disposes the input.
    /// A seekable input is rewound to where it was; a non-seekable one is wrapped so the
    /// sniffed bytes are read again.
    /// </summary>
    /// <remarks>Sniffing reads synchronously; use <see cref="OpenDecompressedAsync"/> for network streams.</remarks>
    public static Stream OpenDecompressed(Stream input, out CompressionKind kind)
    {
        ArgumentNullException.ThrowIfNull(input);
        Stream source;
        if (input.CanSeek)
        {
            Span<byte> header = stackalloc byte[MagicLength];
            var start = input.Position;
            var n = input.ReadAtLeast(header, MagicLength, throwOnEndOfStream: false);
            input.Position = start;
            kind = Detect(header[..n]);
            source = input;
        }
        else
        {
            var peek = PeekStream.Create(input, MagicLength);
            kind = Detect(peek.Peeked);
            source = peek;
        }
        return Decompress(source, kind);
    }

    /// <summary>As <see cref="OpenDecompressed"/>, reading the magic bytes asynchronously.</summary>
    public static async Task<(Stream Stream, CompressionKind Kind)> OpenDecompressedAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        Stream source;
        CompressionKind kind;
        if (input.CanSeek)
        {
            var header = new byte[MagicLength];
            var start = input.Position;
            var n = await input.ReadAtLeastAsync(header, MagicLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            input.Position = start;
            kind = Detect(header.AsSpan(0, n));
            source = input;
        }
        else
        {
            var peek = await PeekStream.CreateAsync(input, MagicLength, cancellationToken).ConfigureAwait(false);
            kind = Detect(peek.Peeked);
            source = peek;
        }
        return (Decompress(source, kind), kind);
    }

    /// <summary>A decompressing stream of the given kind over <paramref name="source"/>, which it owns.</summary>
    public static Stream Decompress(Stream source, CompressionKind kind) => kind switch
    {
        CompressionKind.None => source,
        // GZipStream reads concatenated members (pigz, multi-member gzip) since .NET Core 3.0.
        CompressionKind.Gzip => new GZipStream(source, CompressionMode.Decompress, leaveOpen: false),
        // pbzip2 writes concatenated bzip2 streams.
        CompressionKind.Bzip2 => BZip2Stream.Create(source, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: false),
        CompressionKind.Xz => new XzReadStream(source),
        CompressionKind.Zstd => new DecompressionStream(source, leaveOpen: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
