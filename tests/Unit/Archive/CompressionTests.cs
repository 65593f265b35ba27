using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ContainerPS.Engine.Archive;
using Xunit.Abstractions;

namespace ContainerPS.Tests.Unit.Archive;

public sealed class CompressionTests
{
    private readonly ITestOutputHelper _output;

    public CompressionTests(ITestOutputHelper output) => _output = output;

    private static byte[] Payload()
    {
        // Compressible text plus incompressible noise, larger than any internal buffer.
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i}\n")));
        var noise = new byte[300_000];
        new Random(7).NextBytes(noise);
        return [.. text, .. noise];
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, CompressionKind.Gzip)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41 }, CompressionKind.Bzip2)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 }, CompressionKind.Xz)]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x00 }, CompressionKind.Zstd)]
    [InlineData(new byte[] { 0x5E, 0x2A, 0x4D, 0x18, 0x00, 0x00 }, CompressionKind.Zstd)] // skippable frame
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x2F }, CompressionKind.None)] // "BZh/" is a tar name, not bzip2
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A }, CompressionKind.None)] // truncated xz magic
    [InlineData(new byte[] { 0x1F, 0x8B }, CompressionKind.None)]
    [InlineData(new byte[] { }, CompressionKind.None)]
    [InlineData(new byte[] { 0x65, 0x74, 0x63, 0x2F, 0x00, 0x00 }, CompressionKind.None)] // "etc/": a plain tar
    public void Detect_RecognisesMagicBytes(byte[] header, CompressionKind expected)
    {
        Assert.Equal(expected, Compression.Detect(header));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gzip_RoundTrips(bool seekable)
    {
        var payload = Payload();
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(payload);

        Stream input = seekable ? new MemoryStream(compressed.ToArray()) : new NonSeekableStream(compressed.ToArray());
        using var plain = Compression.OpenDecompressed(input, out var kind);

        Assert.Equal(CompressionKind.Gzip, kind);
        Assert.Equal(payload, ReadAll(plain));
    }

    [Fact]
    public void Gzip_ConcatenatedMembersAreOneStream()
    {
        var compressed = new MemoryStream();
        foreach (var part in new[] { "first ", "second" })
        {
            using var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(Encoding.ASCII.GetBytes(part));
        }

        using var plain = Compression.OpenDecompressed(new NonSeekableStream(compressed.ToArray()), out _);

        Assert.Equal("first second", Encoding.ASCII.GetString(ReadAll(plain)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Uncompressed_PassesThroughIncludingThePeekedBytes(bool seekable)
    {
        var payload = Payload();
        Stream input = seekable ? new MemoryStream(payload) : new NonSeekableStream(payload);

        using var plain = Compression.OpenDecompressed(input, out var kind);

        Assert.Equal(CompressionKind.None, kind);
        Assert.Equal(payload, ReadAll(plain));
        if (seekable) Assert.Same(input, plain);
    }

    [Fact]
    public void Uncompressed_ShorterThanTheMagic()
    {
        using var plain = Compression.OpenDecompressed(new NonSeekableStream(new byte[] { 1, 2 }), out var kind);

        Assert.Equal(CompressionKind.None, kind);
        Assert.Equal(new byte[] { 1, 2 }, ReadAll(plain));
    }

    [Fact]
    public void SeekableInputIsRewoundToItsStartingPosition()
    {
        var compressed = new MemoryStream();
        compressed.Write("prefix"u8);
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gz.Write("body"u8);
        compressed.Position = "prefix".Length;

        using var plain = Compression.OpenDecompressed(compressed, out var kind);

        Assert.Equal(CompressionKind.Gzip, kind);
        Assert.Equal("body", Encoding.ASCII.GetString(ReadAll(plain)));
    }

    [Fact]
    public async Task OpenDecompressedAsync_MatchesTheSyncPath()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gz.Write("async body"u8);

        var (plain, kind) = await Compression.OpenDecompressedAsync(new NonSeekableStream(compressed.ToArray()));
        await using (plain)
        {
            Assert.Equal(CompressionKind.Gzip, kind);
            var ms = new MemoryStream();
            await plain.CopyToAsync(ms);
            Assert.Equal("async body", Encoding.ASCII.GetString(ms.ToArray()));
        }
    }

    [Theory]
    [InlineData("bzip2", CompressionKind.Bzip2)]
    [InlineData("xz", CompressionKind.Xz)]
    [InlineData("zstd", CompressionKind.Zstd)]
    public void ExternalTool_RoundTrips(string tool, CompressionKind expected)
    {
        var payload = Payload();
        var compressed = CompressWithTool(tool, payload);
        if (compressed is null)
        {
            _output.WriteLine($"{tool} is not installed: skipped");
            return;
        }

        foreach (var seekable in new[] { true, false })
        {
            Stream input = seekable ? new MemoryStream(compressed) : new NonSeekableStream(compressed);
            using var plain = Compression.OpenDecompressed(input, out var kind);
            Assert.Equal(expected, kind);
            Assert.Equal(payload, ReadAll(plain));
        }

        // A compressed stream starting mid-file at an unaligned offset (xz aligns on Position).
        var embedded = new MemoryStream([0xAA, 0xBB, 0xCC, .. compressed]) { Position = 3 };
        using var fromOffset = Compression.OpenDecompressed(embedded, out _);
        Assert.Equal(payload, ReadAll(fromOffset));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public void DisposingTheDecompressedStreamDisposesTheInput(string tool)
    {
        var compressed = CompressWithTool(tool, "x"u8.ToArray());
        if (compressed is null)
        {
            _output.WriteLine($"{tool} is not installed: skipped");
            return;
        }
        var input = new NonSeekableStream(compressed);

        var plain = Compression.OpenDecompressed(input, out _);
        ReadAll(plain);
        plain.Dispose();

        Assert.True(input.Disposed);
    }

    [Fact]
    public async Task CompressedLayer_ExtractsEndToEnd()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().Dir("etc/").File("etc/os-release", "ID=test\n").ToArray();
        var compressed = CompressWithTool("zstd", tar) ?? Gzip(tar);

        await using (var plain = Compression.OpenDecompressed(new NonSeekableStream(compressed), out _))
        {
            await new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(plain, dir.Target, "layer sha256:z");
        }

        Assert.Equal("ID=test\n", File.ReadAllText(dir.InTarget("etc/os-release")));
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] ReadAll(Stream stream)
    {
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Compresses with the command-line tool ("tool -c"), or null when it is not installed.</summary>
    private static byte[]? CompressWithTool(string tool, byte[] data)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
        if (path is null) return null;
        var psi = new ProcessStartInfo(path, "-c")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var output = new MemoryStream();
        var reader = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(data);
        process.StandardInput.Close();
        reader.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} -c failed: {errors.Result}");
        return output.ToArray();
    }
}
