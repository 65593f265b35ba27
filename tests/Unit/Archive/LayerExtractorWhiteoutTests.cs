using System.Text;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Tests.Unit.Archive;

public sealed class LayerExtractorWhiteoutTests
{
    private const string Layer = "layer sha256:wh";

    private static Task<LayerExtractResult> Extract(MemoryStream tar, string target, WhiteoutMode mode) =>
        new LayerExtractor(mode).ExtractAsync(tar, target, Layer);

    [Fact]
    public async Task Overlay_WhiteoutBecomesCharDevice00()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().Dir("etc/").File("etc/.wh.gone").File(".wh.top").Build();

        var result = await Extract(tar, dir.Target, WhiteoutMode.Overlay);

        Assert.Equal(3, result.Entries);
        foreach (var path in new[] { "etc/gone", "top" })
        {
            var status = FileSystem.LStat(dir.InTarget(path));
            Assert.True(status.IsCharacterDevice);
            Assert.Equal(0UL, status.RDevice);
        }
        Assert.False(Path.Exists(dir.InTarget("etc/.wh.gone")));
        Assert.False(Path.Exists(dir.InTarget(".wh.top")));
    }

    [Fact]
    public async Task Overlay_OpaqueMarkerSetsTrustedOverlayOpaque()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder()
            .Dir("usr/", 0x1C0)
            .File("usr/.wh..wh..opq")
            .File("usr/new", "n")
            .File("implicit/deeper/.wh..wh..opq") // no directory entry: created as 0755
            .Build();

        await Extract(tar, dir.Target, WhiteoutMode.Overlay);

        Assert.Equal("y", Encoding.ASCII.GetString(FileSystem.GetXattr(dir.InTarget("usr"), "trusted.overlay.opaque")!));
        Assert.Equal("y", Encoding.ASCII.GetString(FileSystem.GetXattr(dir.InTarget("implicit/deeper"), "trusted.overlay.opaque")!));
        Assert.Null(FileSystem.GetXattr(dir.InTarget("implicit"), "trusted.overlay.opaque"));
        Assert.Equal(0x1C0u, FileSystem.LStat(dir.InTarget("usr")).Permissions);
        Assert.Equal(0x1EDu, FileSystem.LStat(dir.InTarget("implicit/deeper")).Permissions);
        Assert.Equal(new[] { dir.InTarget("usr/new") }, Directory.GetFileSystemEntries(dir.InTarget("usr")));
    }

    [Fact]
    public async Task Overlay_DirectoryEntryAfterOpaqueMarkerKeepsTheXattr()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().File("d/.wh..wh..opq").Dir("d/", 0x1C0).Build();

        await Extract(tar, dir.Target, WhiteoutMode.Overlay);

        Assert.NotNull(FileSystem.GetXattr(dir.InTarget("d"), "trusted.overlay.opaque"));
        Assert.Equal(0x1C0u, FileSystem.LStat(dir.InTarget("d")).Permissions);
    }

    [Fact]
    public async Task Overlay_ForgedTrustedOverlayXattrIsIgnored()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder()
            .Dir("d/", pax: new Dictionary<string, string> { ["SCHILY.xattr.trusted.overlay.opaque"] = "y", ["SCHILY.xattr.trusted.other"] = "kept" })
            .Build();

        await Extract(tar, dir.Target, WhiteoutMode.Overlay);

        Assert.Null(FileSystem.GetXattr(dir.InTarget("d"), "trusted.overlay.opaque"));
        Assert.Equal("kept", Encoding.ASCII.GetString(FileSystem.GetXattr(dir.InTarget("d"), "trusted.other")!));
    }

    [Fact]
    public async Task Apply_WhiteoutDeletesRecursively()
    {
        using var dir = new ArchiveTestDirectory();
        Directory.CreateDirectory(dir.InTarget("gone/sub"));
        File.WriteAllText(dir.InTarget("gone/sub/file"), "x");
        File.WriteAllText(dir.InTarget("keep"), "k");
        Directory.CreateDirectory(dir.InTarget("etc"));
        File.WriteAllText(dir.InTarget("etc/old.conf"), "x");
        var tar = new TarBuilder().File(".wh.gone").File("etc/.wh.old.conf").File("etc/.wh.never-existed").Build();

        await Extract(tar, dir.Target, WhiteoutMode.Apply);

        Assert.False(Path.Exists(dir.InTarget("gone")));
        Assert.False(Path.Exists(dir.InTarget("etc/old.conf")));
        Assert.False(Path.Exists(dir.InTarget("etc/never-existed")));
        Assert.Equal("k", File.ReadAllText(dir.InTarget("keep")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.InTarget("etc")));
    }

    [Fact]
    public async Task Apply_WhiteoutOfASymlinkRemovesOnlyTheLink()
    {
        using var dir = new ArchiveTestDirectory();
        File.CreateSymbolicLink(dir.InTarget("link"), dir.Outside);

        await Extract(new TarBuilder().File(".wh.link").Build(), dir.Target, WhiteoutMode.Apply);

        Assert.False(Path.Exists(dir.InTarget("link")));
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task Apply_OpaqueMarkerRemovesLowerChildrenAndKeepsThisLayers()
    {
        using var dir = new ArchiveTestDirectory();
        Directory.CreateDirectory(dir.InTarget("d/olddir/deep"));
        File.WriteAllText(dir.InTarget("d/olddir/deep/x"), "x");
        File.WriteAllText(dir.InTarget("d/old"), "o");
        File.WriteAllText(dir.InTarget("d/replaced"), "lower");
        Directory.CreateDirectory(dir.InTarget("d/mixed"));
        File.WriteAllText(dir.InTarget("d/mixed/lower"), "l");
        File.CreateSymbolicLink(dir.InTarget("d/outlink"), dir.Outside);
        File.WriteAllText(dir.InTarget("sibling"), "s");

        var tar = new TarBuilder()
            .Dir("d/")
            .File("d/early", "written before the marker")
            .Dir("d/mixed/")
            .File("d/.wh..wh..opq")
            .File("d/new", "n")
            .File("d/replaced", "upper")
            .File("d/newdir/y", "y")
            .Build();

        await Extract(tar, dir.Target, WhiteoutMode.Apply);

        var names = Directory.GetFileSystemEntries(dir.InTarget("d")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "early", "mixed", "new", "newdir", "replaced" }, names);
        Assert.Empty(Directory.GetFileSystemEntries(dir.InTarget("d/mixed"))); // the layer's d/mixed/ is opaque below d too
        Assert.Equal("upper", File.ReadAllText(dir.InTarget("d/replaced")));
        Assert.Equal("y", File.ReadAllText(dir.InTarget("d/newdir/y")));
        Assert.Equal("s", File.ReadAllText(dir.InTarget("sibling")));
        Assert.False(Path.Exists(dir.InTarget("d/.wh..wh..opq")));
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task Apply_OpaqueMarkerForMissingDirectoryIsHarmless()
    {
        using var dir = new ArchiveTestDirectory();

        await Extract(new TarBuilder().File("nothing/here/.wh..wh..opq").Build(), dir.Target, WhiteoutMode.Apply);

        Assert.Empty(Directory.GetFileSystemEntries(dir.Target));
    }

    [Theory]
    [InlineData(WhiteoutMode.Overlay)]
    [InlineData(WhiteoutMode.Apply)]
    public async Task AufsMetadataEntriesAreSkipped(WhiteoutMode mode)
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().Dir(".wh..wh.plnk/").File(".wh..wh.plnk/123.456", "x").File(".wh..wh.aufs").File("real", "r").Build();

        var result = await Extract(tar, dir.Target, mode);

        Assert.Equal(4, result.Entries);
        Assert.Equal(new[] { dir.InTarget("real") }, Directory.GetFileSystemEntries(dir.Target));
    }

    [Theory]
    [InlineData(WhiteoutMode.Overlay)]
    [InlineData(WhiteoutMode.Apply)]
    public async Task LayersStackLikeTheUnionFilesystem(WhiteoutMode mode)
    {
        // Apply: three layers flattened onto one tree. Overlay: each layer in its own lower dir;
        // here only the last layer's representation is checked.
        using var dir = new ArchiveTestDirectory();
        var layers = new[]
        {
            new TarBuilder().Dir("app/").File("app/a", "1").File("app/b", "1").Dir("cfg/").File("cfg/x", "1").Build(),
            new TarBuilder().File("app/.wh.a").File("app/c", "2").Build(),
            new TarBuilder().Dir("cfg/").File("cfg/.wh..wh..opq").File("cfg/y", "3").Build(),
        };
        var extractor = new LayerExtractor(mode);
        if (mode == WhiteoutMode.Apply)
        {
            foreach (var layer in layers) await extractor.ExtractAsync(layer, dir.Target, Layer);
            Assert.Equal(new[] { "b", "c" }, Directory.GetFileSystemEntries(dir.InTarget("app")).Select(Path.GetFileName).Order());
            Assert.Equal(new[] { "y" }, Directory.GetFileSystemEntries(dir.InTarget("cfg")).Select(Path.GetFileName));
        }
        else
        {
            var second = Path.Combine(dir.Target, "2");
            var third = Path.Combine(dir.Target, "3");
            await extractor.ExtractAsync(layers[1], second, Layer);
            await extractor.ExtractAsync(layers[2], third, Layer);
            Assert.True(FileSystem.LStat(Path.Combine(second, "app/a")).IsCharacterDevice);
            Assert.NotNull(FileSystem.GetXattr(Path.Combine(third, "cfg"), "trusted.overlay.opaque"));
        }
    }

    [Fact]
    public async Task WhiteoutOfInvalidName_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Assert.ThrowsAsync<ContainerPS.Engine.Errors.ArchiveException>(() =>
            Extract(new TarBuilder().File("d/.wh.").Build(), dir.Target, WhiteoutMode.Apply));
        Assert.Equal("d/.wh.", e.Entry);
    }
}
