using ContainerPS.Engine.Archive;

namespace ContainerPS.Tests.Unit.Archive;

public sealed class SafePathTests
{
    [Theory]
    [InlineData("a", "a")]
    [InlineData("./a", "a")]
    [InlineData("a//b/", "a/b")]
    [InlineData("a/./b/.", "a/b")]
    [InlineData("a/../b", "b")]
    [InlineData("a/b/../../c", "c")]
    [InlineData(".", "")]
    [InlineData("./", "")]
    [InlineData("a/..", "")]
    [InlineData("..a/b..", "..a/b..")]
    [InlineData("a\\..\\..\\b", "a\\..\\..\\b")] // a backslash is an ordinary file-name byte on Linux
    public void Normalize_CleansLexically(string name, string expected)
    {
        Assert.Equal(SafePathError.None, SafePath.Normalize(name, out var relative));
        Assert.Equal(expected, relative);
    }

    [Theory]
    [InlineData("..", "EscapesRoot")]
    [InlineData("../a", "EscapesRoot")]
    [InlineData("a/../../b", "EscapesRoot")]
    [InlineData("./../a", "EscapesRoot")]
    [InlineData("/etc/passwd", "Absolute")]
    [InlineData("/", "Absolute")]
    [InlineData("", "Invalid")]
    [InlineData("a\0b", "Invalid")]
    public void Normalize_Refuses(string name, string expected)
    {
        // SafePathError is internal, so the theory data names it.
        Assert.Equal(Enum.Parse<SafePathError>(expected), SafePath.Normalize(name, out _));
    }

    [Fact]
    public void Resolve_ChecksExistingParentsWithLstat()
    {
        using var dir = new ArchiveTestDirectory();
        var root = new SafePath(dir.Target + "/");
        Directory.CreateDirectory(dir.InTarget("real/dir"));
        File.CreateSymbolicLink(dir.InTarget("real/link"), dir.Sentinel);
        File.WriteAllText(dir.InTarget("file"), "");

        Assert.Equal(SafePathError.None, root.Resolve("real/dir/new/deeper", out var relative, out var full));
        Assert.Equal("real/dir/new/deeper", relative);
        Assert.Equal(dir.InTarget("real/dir/new/deeper"), full);
        Assert.Equal(SafePathError.None, root.Resolve("real/link", out _, out _)); // the link itself may be replaced
        Assert.Equal(SafePathError.ThroughSymlink, root.Resolve("real/link/x", out _, out _));
        Assert.Equal(SafePathError.ParentNotDirectory, root.Resolve("file/x", out _, out _));
        Assert.Equal(SafePathError.ThroughSymlink, root.CheckDirectory("real/link"));
        Assert.Equal(SafePathError.None, root.CheckDirectory("real/dir"));
        Assert.Equal(root.Root, root.FullPath(""));
    }

    [Fact]
    public void CreateParents_MakesOnlyMissingDirectoriesAndReportsThem()
    {
        using var dir = new ArchiveTestDirectory();
        var root = new SafePath(dir.Target);
        Directory.CreateDirectory(dir.InTarget("a"));
        var created = new List<string>();

        Assert.Equal(SafePathError.None, root.CreateParents("a/b/c/file", 0x1ED, created.Add));

        Assert.Equal(new[] { "a/b", "a/b/c" }, created);
        Assert.True(Directory.Exists(dir.InTarget("a/b/c")));
        Assert.False(Path.Exists(dir.InTarget("a/b/c/file")));
    }

    [Fact]
    public void CreateParents_NeverCreatesThroughASymlink()
    {
        using var dir = new ArchiveTestDirectory();
        var root = new SafePath(dir.Target);
        File.CreateSymbolicLink(dir.InTarget("a"), dir.Sentinel);

        Assert.Equal(SafePathError.ThroughSymlink, root.CreateParents("a/b/c", 0x1ED));
        Assert.Equal(SafePathError.ThroughSymlink, root.CreateDirectory("a", 0x1ED));
        dir.AssertNothingOutside();
    }
}
