using ContainerPS.Engine.Containers.Spec;

namespace ContainerPS.Tests.Unit.Spec;

/// <summary>Symlinks in an image resolve inside its rootfs, never on the host (Docker's FollowSymlinkInScope).</summary>
public sealed class DirectoryRootfsReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-rootfs-").FullName;
    private string Root => Path.Combine(_dir, "rootfs");

    public DirectoryRootfsReaderTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "etc"));
        Directory.CreateDirectory(Path.Combine(Root, "usr/share/base"));
        File.WriteAllText(Path.Combine(_dir, "host-secret"), "host\n");
        File.WriteAllText(Path.Combine(Root, "usr/share/base/passwd"), "app:x:1000:1000::/home/app:/bin/sh\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_regular_files_and_returns_null_for_missing_ones()
    {
        File.WriteAllText(Path.Combine(Root, "etc/group"), "root:x:0:\n");
        var reader = new DirectoryRootfsReader(Root);
        Assert.Equal("root:x:0:\n", reader.ReadFile("/etc/group"));
        Assert.Null(reader.ReadFile("/etc/passwd"));
        Assert.Null(reader.ReadFile("/etc"));        // a directory
        Assert.Null(reader.ReadFile("/nope/x/y"));
    }

    [Fact]
    public void Relative_and_absolute_links_resolve_inside_the_rootfs()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd"), "../usr/share/base/passwd");
        Assert.StartsWith("app:", new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));

        File.Delete(Path.Combine(Root, "etc/passwd"));
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd"), "/usr/share/base/passwd");
        Assert.StartsWith("app:", new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));
    }

    [Fact]
    public void Links_cannot_escape_to_the_host()
    {
        // ../../host-secret from /etc climbs to "/" of the rootfs, not to the host directory above it.
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd"), "../../host-secret");
        Assert.Null(new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));

        File.Delete(Path.Combine(Root, "etc/passwd"));
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd"), Path.Combine(_dir, "host-secret"));
        Assert.Null(new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));

        Directory.CreateSymbolicLink(Path.Combine(Root, "hostdir"), _dir);
        Assert.Null(new DirectoryRootfsReader(Root).ReadFile("/hostdir/host-secret"));
    }

    [Fact]
    public void Link_loops_end()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd"), "passwd2");
        File.CreateSymbolicLink(Path.Combine(Root, "etc/passwd2"), "passwd");
        Assert.Null(new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));
    }

    [Fact]
    public void Fifos_are_not_read()
    {
        var fifo = Path.Combine(Root, "etc/passwd");
        ContainerPS.Tests.Unit.Support.Tool.Check("mkfifo", fifo);
        Assert.Null(new DirectoryRootfsReader(Root).ReadFile("/etc/passwd"));
    }
}
