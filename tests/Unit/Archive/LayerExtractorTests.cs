using System.Formats.Tar;
using System.Text;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Tests.Unit.Archive;

public sealed class LayerExtractorTests
{
    private const string Layer = "layer sha256:test";

    private static Task<LayerExtractResult> Extract(Stream tar, string target, WhiteoutMode mode = WhiteoutMode.Apply) =>
        new LayerExtractor(mode).ExtractAsync(tar, target, Layer);

    [Fact]
    public async Task Extract_CreatesEveryEntryType()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder()
            .Dir("etc/")
            .File("etc/hosts", "127.0.0.1 localhost\n")
            .Dir("a/b/c/")
            .File("a/b/c/deep.txt", "deep")
            .Symlink("etc/link", "hosts")
            .Hardlink("etc/hosts.hard", "etc/hosts")
            .Device(TarEntryType.CharacterDevice, "dev/null", 1, 3)
            .Device(TarEntryType.BlockDevice, "dev/loop9", 7, 9, 0x1B0)
            .Fifo("run/fifo", 0x180)
            .Build();

        var result = await Extract(tar, dir.Target);

        Assert.Equal(9, result.Entries);
        Assert.Equal("127.0.0.1 localhost\n".Length + "deep".Length, result.Bytes);
        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(dir.InTarget("etc/hosts")));
        Assert.Equal("deep", File.ReadAllText(dir.InTarget("a/b/c/deep.txt")));
        Assert.True(FileSystem.LStat(dir.InTarget("etc/link")).IsSymbolicLink);
        Assert.Equal("hosts", new FileInfo(dir.InTarget("etc/link")).LinkTarget);

        var hosts = FileSystem.LStat(dir.InTarget("etc/hosts"));
        var hard = FileSystem.LStat(dir.InTarget("etc/hosts.hard"));
        Assert.Equal(hosts.Inode, hard.Inode);
        Assert.Equal(2UL, hosts.LinkCount);

        var devNull = FileSystem.LStat(dir.InTarget("dev/null"));
        Assert.True(devNull.IsCharacterDevice);
        Assert.Equal((1u, 3u), (devNull.RDeviceMajor, devNull.RDeviceMinor));
        Assert.Equal(0x1B6u, devNull.Permissions);
        var loop = FileSystem.LStat(dir.InTarget("dev/loop9"));
        Assert.True(loop.IsBlockDevice);
        Assert.Equal((7u, 9u), (loop.RDeviceMajor, loop.RDeviceMinor));
        Assert.Equal(0x1B0u, loop.Permissions);
        var fifo = FileSystem.LStat(dir.InTarget("run/fifo"));
        Assert.True(fifo.IsFifo);
        Assert.Equal(0x180u, fifo.Permissions);
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task Extract_RestoresOwnerSetuidModeMtimeAndXattr()
    {
        using var dir = new ArchiveTestDirectory();
        var fileTime = new DateTimeOffset(2019, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var dirTime = new DateTimeOffset(2018, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var tar = new TarBuilder()
            .Dir("bin/", 0x1ED, 1234, 5678, dirTime)
            .File("bin/tool", "#!/bin/sh\n", 0x9ED /* 04755 */, 1234, 5678, fileTime,
                new Dictionary<string, string> { ["SCHILY.xattr.user.test"] = "value" })
            .Dir("shared/", 0x5FD /* 02775 */, 0, 5678, dirTime)
            .Dir("tmp/", 0x3FF /* 01777 */, 0, 0, dirTime)
            .Build();

        await Extract(tar, dir.Target);

        var tool = FileSystem.LStat(dir.InTarget("bin/tool"));
        Assert.Equal((1234u, 5678u), (tool.Uid, tool.Gid));
        Assert.Equal(0x9EDu, tool.Permissions); // setuid survived the chown
        Assert.Equal(fileTime, tool.Modified);
        Assert.Equal("value", Encoding.UTF8.GetString(FileSystem.GetXattr(dir.InTarget("bin/tool"), "user.test")!));

        // The directory's mtime is applied after its child was written into it.
        var bin = FileSystem.LStat(dir.InTarget("bin"));
        Assert.Equal((1234u, 5678u), (bin.Uid, bin.Gid));
        Assert.Equal(dirTime, bin.Modified);
        Assert.Equal(0x5FDu, FileSystem.LStat(dir.InTarget("shared")).Permissions);
        Assert.Equal(0x3FFu, FileSystem.LStat(dir.InTarget("tmp")).Permissions);
    }

    [Fact]
    public async Task Extract_SymlinkOwnerAndTimeApplyToTheLinkItself()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().File("real", "x", 0x180).Symlink("link", "real", 42, 43).Build();

        await Extract(tar, dir.Target);

        var link = FileSystem.LStat(dir.InTarget("link"));
        Assert.Equal((42u, 43u), (link.Uid, link.Gid));
        Assert.Equal(TarBuilder.DefaultTime, link.Modified);
        var real = FileSystem.LStat(dir.InTarget("real"));
        Assert.Equal((0u, 0u), (real.Uid, real.Gid));
        Assert.Equal(0x180u, real.Permissions);
    }

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Ustar)]
    public async Task Extract_ReadsEveryPosixFormat(TarEntryFormat format)
    {
        using var dir = new ArchiveTestDirectory();
        var longName = "long/" + new string('n', 150) + "/" + new string('f', 90);
        var builder = new TarBuilder(format)
            .Dir("d/", 0x1C0, 7, 8)
            .File("d/f", "data", 0x9ED, 7, 8)
            .Symlink("d/l", "f")
            .Hardlink("d/h", "d/f")
            .Device(TarEntryType.CharacterDevice, "d/c", 5, 1);
        if (format != TarEntryFormat.Ustar) builder.File(longName, "long"); // ustar caps names at 255 bytes
        var tar = builder.Build();

        await Extract(tar, dir.Target);

        var f = FileSystem.LStat(dir.InTarget("d/f"));
        Assert.Equal((7u, 8u, 0x9EDu), (f.Uid, f.Gid, f.Permissions));
        Assert.Equal(0x1C0u, FileSystem.LStat(dir.InTarget("d")).Permissions);
        Assert.Equal("f", new FileInfo(dir.InTarget("d/l")).LinkTarget);
        Assert.Equal(f.Inode, FileSystem.LStat(dir.InTarget("d/h")).Inode);
        Assert.True(FileSystem.LStat(dir.InTarget("d/c")).IsCharacterDevice);
        if (format != TarEntryFormat.Ustar) Assert.Equal("long", File.ReadAllText(dir.InTarget(longName)));
    }

    [Fact]
    public async Task Extract_ReplacesExistingPaths_KeepsDirectoriesMergedWithDirectories()
    {
        using var dir = new ArchiveTestDirectory();
        File.WriteAllText(dir.InTarget("was-file"), "old");
        Directory.CreateDirectory(dir.InTarget("was-dir/sub"));
        File.WriteAllText(dir.InTarget("was-dir/sub/x"), "old");
        Directory.CreateDirectory(dir.InTarget("stays-dir"));
        File.WriteAllText(dir.InTarget("stays-dir/keep"), "lower");
        File.CreateSymbolicLink(dir.InTarget("was-link"), dir.Sentinel);
        File.WriteAllText(dir.InTarget("file"), "old content that is longer");

        var tar = new TarBuilder()
            .Dir("was-file/")
            .File("was-file/inner", "new")
            .File("was-dir", "now a file")
            .Dir("stays-dir/", 0x1C0, 11, 12)
            .File("was-link", "replaced the link")
            .File("file", "new")
            .Build();

        await Extract(tar, dir.Target);

        Assert.True(FileSystem.LStat(dir.InTarget("was-file")).IsDirectory);
        Assert.Equal("new", File.ReadAllText(dir.InTarget("was-file/inner")));
        Assert.Equal("now a file", File.ReadAllText(dir.InTarget("was-dir")));
        var stays = FileSystem.LStat(dir.InTarget("stays-dir"));
        Assert.Equal((11u, 12u, 0x1C0u), (stays.Uid, stays.Gid, stays.Permissions));
        Assert.Equal("lower", File.ReadAllText(dir.InTarget("stays-dir/keep")));
        Assert.True(FileSystem.LStat(dir.InTarget("was-link")).IsRegularFile);
        Assert.Equal("replaced the link", File.ReadAllText(dir.InTarget("was-link")));
        Assert.Equal("new", File.ReadAllText(dir.InTarget("file")));
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task Extract_CreatesMissingParentsAs0755Root()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().File("p/q/r.txt", "r", 0x1A4, 5, 5).Build();

        await Extract(tar, dir.Target);

        foreach (var parent in new[] { "p", "p/q" })
        {
            var status = FileSystem.LStat(dir.InTarget(parent));
            Assert.True(status.IsDirectory);
            Assert.Equal((0u, 0u, 0x1EDu), (status.Uid, status.Gid, status.Permissions));
        }
        Assert.Equal("r", File.ReadAllText(dir.InTarget("p/q/r.txt")));
    }

    [Fact]
    public async Task Extract_AcceptsDotSlashNamesAndAppliesRootEntryMetadata()
    {
        using var dir = new ArchiveTestDirectory();
        var rootTime = new DateTimeOffset(2017, 7, 7, 7, 7, 7, TimeSpan.Zero);
        var tar = new TarBuilder()
            .Dir("./", 0x1C0, 0, 0, rootTime)
            .Dir("./usr/")
            .File("./usr/a", "a")
            .File("usr//b/../c", "c")
            .Build();

        await Extract(tar, dir.Target);

        Assert.Equal("a", File.ReadAllText(dir.InTarget("usr/a")));
        Assert.Equal("c", File.ReadAllText(dir.InTarget("usr/c")));
        Assert.False(Path.Exists(dir.InTarget("usr/b")));
        var root = FileSystem.LStat(dir.Target);
        Assert.Equal(0x1C0u, root.Permissions);
        Assert.Equal(rootTime, root.Modified);
    }

    [Fact]
    public async Task Extract_StreamsLargeFilesFromNonSeekableInput()
    {
        using var dir = new ArchiveTestDirectory();
        var big = new byte[5 * 1024 * 1024 + 123];
        new Random(42).NextBytes(big);
        var tar = new TarBuilder().File("big.bin", big).File("small", "s").ToArray();

        var result = await Extract(new NonSeekableStream(tar), dir.Target);

        Assert.Equal(2, result.Entries);
        Assert.Equal(big.Length + 1, result.Bytes);
        Assert.Equal(big, File.ReadAllBytes(dir.InTarget("big.bin")));
        Assert.Equal("s", File.ReadAllText(dir.InTarget("small")));
    }

    [Fact]
    public async Task Extract_HardlinkMayPointAtASymlinkWithoutChangingItsTarget()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder()
            .Symlink("escape", dir.Victim) // a link to a host file is just data
            .Hardlink("again", "escape", 0xFFF)
            .Build();

        await Extract(tar, dir.Target);

        Assert.True(FileSystem.LStat(dir.InTarget("again")).IsSymbolicLink);
        Assert.Equal(0x1A4u, FileSystem.LStat(dir.Victim).Permissions & 0x1FF); // no chmod through the link
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task Extract_LibarchiveBase64Xattr_IsBinarySafe()
    {
        using var dir = new ArchiveTestDirectory();
        var value = new byte[] { 0x80, 0x00, 0xFF, 0x01 };
        var tar = new TarBuilder()
            .File("f", "", pax: new Dictionary<string, string> { ["LIBARCHIVE.xattr.user.bin"] = Convert.ToBase64String(value) })
            .Build();

        await Extract(tar, dir.Target);

        Assert.Equal(value, FileSystem.GetXattr(dir.InTarget("f"), "user.bin"));
    }

    [Fact]
    public async Task Extract_BinarySchilyXattrValue_IsRefusedRatherThanCorrupted()
    {
        using var dir = new ArchiveTestDirectory();
        // System.Formats.Tar cannot write a non-UTF-8 PAX value, so this header is written by hand.
        var tar = RawTar.Pax("bin/newuidmap", "SCHILY.xattr.user.cap", new byte[] { 0x01, 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x00 });

        var e = await Assert.ThrowsAsync<ArchiveException>(() => Extract(new MemoryStream(tar), dir.Target));

        Assert.Equal("InvalidArchiveEntry", e.ErrorId);
        Assert.Equal("bin/newuidmap", e.Entry);
        Assert.Contains("user.cap", e.Message);
    }

    [Fact]
    public async Task Extract_TruncatedArchive_IsInvalidArchive()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().File("big", new byte[100_000]).ToArray();

        var e = await Assert.ThrowsAsync<ArchiveException>(() => Extract(new NonSeekableStream(tar[..60_000]), dir.Target));

        Assert.Equal("InvalidArchive", e.ErrorId);
        Assert.Contains(Layer, e.Message);
    }

    [Fact]
    public async Task Extract_NotATar_IsInvalidArchive()
    {
        using var dir = new ArchiveTestDirectory();
        var junk = Enumerable.Range(0, 2048).Select(i => (byte)(i * 7 + 1)).ToArray();

        var e = await Assert.ThrowsAsync<ArchiveException>(() => Extract(new MemoryStream(junk), dir.Target));

        Assert.Equal("InvalidArchive", e.ErrorId);
    }

    [Fact]
    public async Task Extract_HonoursCancellation()
    {
        using var dir = new ArchiveTestDirectory();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var tar = new TarBuilder().File("a", "a").Build();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LayerExtractor(WhiteoutMode.Overlay).ExtractAsync(tar, dir.Target, Layer, cts.Token));
    }

    [Fact]
    public async Task Extract_StopsAtEndOfArchiveAndLeavesTheStreamOpen()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().File("a", "a").ToArray();
        var input = new NonSeekableStream(tar);

        await Extract(input, dir.Target);

        Assert.False(input.Disposed);
        Assert.Equal("a", File.ReadAllText(dir.InTarget("a")));
    }
}
