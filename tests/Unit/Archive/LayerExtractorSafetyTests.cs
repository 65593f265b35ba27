using System.Formats.Tar;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Tests.Unit.Archive;

/// <summary>
/// Malicious-archive corpus: one case per tar-escape kind. Each asserts the refusal names the
/// entry and that nothing appeared, vanished or changed beside the target.
/// </summary>
public sealed class LayerExtractorSafetyTests
{
    private const string Layer = "layer sha256:ab12";

    public static TheoryData<WhiteoutMode> Modes => new() { WhiteoutMode.Overlay, WhiteoutMode.Apply };

    private static async Task<ArchiveException> Refused(ArchiveTestDirectory dir, Func<ArchiveTestDirectory, TarBuilder> build,
        string entry, WhiteoutMode mode = WhiteoutMode.Apply, string errorId = "UnsafeArchiveEntry")
    {
        var tar = build(dir).Build();
        var e = await Assert.ThrowsAsync<ArchiveException>(() => new LayerExtractor(mode).ExtractAsync(tar, dir.Target, Layer));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(entry, e.Entry);
        Assert.Equal(Layer, e.Archive);
        Assert.Contains($"{Layer}: entry \"{entry}\"", e.Message);
        dir.AssertNothingOutside();
        return e;
    }

    [Theory]
    [InlineData("../sentinel/evil")]
    [InlineData("a/../../sentinel/evil")]
    [InlineData("./../sentinel/evil")]
    [InlineData("..")]
    public async Task DotDotPath_IsRefused(string name)
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Refused(dir, _ => new TarBuilder().File("ok", "fine").File(name, "pwned"), name);
        Assert.Contains("escapes the target directory", e.Message);
    }

    [Fact]
    public async Task DotDotDirectoryEntry_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().Dir("../sentinel/newdir/"), "../sentinel/newdir/");
    }

    [Fact]
    public async Task AbsolutePath_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        var name = dir.Sentinel + "/evil";
        var e = await Refused(dir, _ => new TarBuilder().File(name, "pwned"), name);
        Assert.Contains("absolute", e.Message);
    }

    [Theory]
    [InlineData("../sentinel")]
    [InlineData("../../..")]
    public async Task RelativeSymlinkThenWrite_IsRefused(string linkTarget)
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Refused(dir, _ => new TarBuilder().Symlink("a", linkTarget).File("a/file", "pwned"), "a/file");
        Assert.Contains("symbolic link", e.Message);
        Assert.Equal(linkTarget, new FileInfo(dir.InTarget("a")).LinkTarget); // the link itself was fine
    }

    [Fact]
    public async Task AbsoluteSymlinkThenWrite_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, d => new TarBuilder().Symlink("a", d.Sentinel).File("a/file", "pwned"), "a/file");
    }

    [Fact]
    public async Task SymlinkThenWriteDeeper_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, d => new TarBuilder().Dir("x/").Symlink("x/a", d.Sentinel).File("x/a/b/c", "pwned"), "x/a/b/c");
    }

    [Theory]
    [InlineData(TarEntryType.Directory)]
    [InlineData(TarEntryType.SymbolicLink)]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.Fifo)]
    public async Task SymlinkThenOtherEntryTypes_AreRefused(TarEntryType type)
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, d =>
        {
            var b = new TarBuilder().Symlink("a", d.Sentinel);
            return type switch
            {
                TarEntryType.Directory => b.Dir("a/sub/"),
                TarEntryType.SymbolicLink => b.Symlink("a/l", "/etc/passwd"),
                TarEntryType.CharacterDevice => b.Device(type, "a/mem", 1, 1),
                _ => b.Fifo("a/fifo"),
            };
        }, type == TarEntryType.Directory ? "a/sub/" : type == TarEntryType.SymbolicLink ? "a/l" : type == TarEntryType.CharacterDevice ? "a/mem" : "a/fifo");
    }

    [Fact]
    public async Task SymlinkPointingOutside_IsCreated_ButWritesThroughItAreRefused()
    {
        using var dir = new ArchiveTestDirectory();
        // Creating the link is allowed: symlinks are data.
        await new LayerExtractor(WhiteoutMode.Apply).ExtractAsync(new TarBuilder().Symlink("out", dir.Sentinel).Build(), dir.Target, Layer);
        Assert.Equal(dir.Sentinel, new FileInfo(dir.InTarget("out")).LinkTarget);

        // A later layer (or entry) writing through it is not.
        await Refused(dir, _ => new TarBuilder().File("out/evil", "pwned"), "out/evil");
    }

    [Fact]
    public async Task FileEntryOverSymlinkToOutside_ReplacesTheLink()
    {
        using var dir = new ArchiveTestDirectory();
        var tar = new TarBuilder().Symlink("victim", dir.Victim).File("victim", "mine", 0x1FF, 99, 99).Build();

        await new LayerExtractor(WhiteoutMode.Apply).ExtractAsync(tar, dir.Target, Layer);

        Assert.True(FileSystem.LStat(dir.InTarget("victim")).IsRegularFile);
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task HardlinkToDotDotOutside_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Refused(dir, _ => new TarBuilder().Hardlink("h", "../outside/victim"), "h");
        Assert.Contains("hardlink target \"../outside/victim\"", e.Message);
        Assert.False(Path.Exists(dir.InTarget("h")));
    }

    [Fact]
    public async Task HardlinkToAbsolutePath_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, d => new TarBuilder().Hardlink("h", d.Victim), "h");
    }

    [Fact]
    public async Task HardlinkThroughSymlink_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Refused(dir, d => new TarBuilder().Symlink("a", d.Outside).Hardlink("h", "a/victim"), "h");
        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public async Task HardlinkThroughRelativeSymlink_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().Symlink("a", "../outside").Hardlink("h", "a/victim"), "h");
    }

    [Fact]
    public async Task HardlinkToMissingTarget_IsRefused()
    {
        using var dir = new ArchiveTestDirectory();
        var e = await Refused(dir, _ => new TarBuilder().Hardlink("h", "not/there"), "h");
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task HardlinkToDirectory_IsInvalid()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().Dir("d/").Hardlink("h", "d"), "h", errorId: "InvalidArchiveEntry");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task WhiteoutThroughSymlink_IsRefused(WhiteoutMode mode)
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().Symlink("a", "../outside").File("a/.wh.victim"), "a/.wh.victim", mode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task OpaqueMarkerThroughSymlink_IsRefused(WhiteoutMode mode)
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().Symlink("a", "../outside").File("a/.wh..wh..opq"), "a/.wh..wh..opq", mode);
        Assert.Null(FileSystem.GetXattr(dir.Outside, "trusted.overlay.opaque"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task OpaqueMarkerOnSymlinkItself_IsRefused(WhiteoutMode mode)
    {
        using var dir = new ArchiveTestDirectory();
        // The directory the marker applies to is the symlink itself: "a/" must not resolve through it.
        await Refused(dir, d => new TarBuilder().Symlink("a", d.Outside).File("a/.wh..wh..opq"), "a/.wh..wh..opq", mode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task WhiteoutWithDotDot_IsRefused(WhiteoutMode mode)
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().File("../outside/.wh.victim"), "../outside/.wh.victim", mode);
    }

    [Fact]
    public async Task DirectoryReplacedBySymlink_DeferredMtimeIsNotAppliedOutside()
    {
        using var dir = new ArchiveTestDirectory();
        var before = FileSystem.LStat(dir.Sentinel).Modified;
        var tar = new TarBuilder()
            .Dir("d/", mtime: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))
            .Symlink("d", "../sentinel")
            .Build();

        await new LayerExtractor(WhiteoutMode.Apply).ExtractAsync(tar, dir.Target, Layer);

        Assert.Equal(before, FileSystem.LStat(dir.Sentinel).Modified);
        Assert.True(FileSystem.LStat(dir.InTarget("d")).IsSymbolicLink);
        dir.AssertNothingOutside();
    }

    [Fact]
    public async Task EntryUnderARegularFile_IsInvalid()
    {
        using var dir = new ArchiveTestDirectory();
        await Refused(dir, _ => new TarBuilder().File("f", "x").File("f/g", "y"), "f/g", errorId: "InvalidArchiveEntry");
    }
}
