using ContainerPS.Runtime.Init;
using ContainerPS.Runtime.Linux;

namespace ContainerPS.Tests.Unit.Runtime;

/// <summary>SecureJoin against a real directory tree with hostile symlinks (lstat/readlink/mkdir only: no root needed).</summary>
public sealed class SecureJoinTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-securejoin-").FullName;
    private readonly string _root;
    private readonly string _outside;

    public SecureJoinTests()
    {
        _root = Path.Combine(_dir, "rootfs");
        _outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "usr/lib"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_root, "etc/file"), "x");
        // Every way an image could try to point outside its rootfs:
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), _outside);                       // absolute host path
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../../../../../../../outside"); // climbing with ..
        File.CreateSymbolicLink(Path.Combine(_root, "etc/up"), "../../outside");
        File.CreateSymbolicLink(Path.Combine(_root, "lib"), "usr/lib");                      // legitimate relative link
        File.CreateSymbolicLink(Path.Combine(_root, "usr/lib/self"), "/lib");               // absolute, inside the root
        File.CreateSymbolicLink(Path.Combine(_root, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_root, "loop2"), "loop1");
        File.CreateSymbolicLink(Path.Combine(_root, "tofile"), "etc/file");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("/etc/hosts", "etc/hosts")]
    [InlineData("/../../../etc/hosts", "etc/hosts")]
    [InlineData("/etc/../../x", "x")]
    [InlineData("/lib/x", "usr/lib/x")]
    [InlineData("/lib/self/y", "usr/lib/y")]
    [InlineData("/up/x", "outside/x")]
    [InlineData("/etc/up/x", "outside/x")]
    [InlineData("/usr/lib/../../up", "outside")]
    [InlineData("", "")]
    public void Symlinks_resolve_inside_the_root(string path, string expected)
    {
        var resolved = SecureJoin.Resolve(LinuxSyscalls.Instance, _root, path);
        Assert.Equal(expected.Length == 0 ? _root : Path.Combine(_root, expected), resolved);
    }

    [Fact]
    public void An_absolute_symlink_to_a_host_path_is_taken_inside_the_root()
    {
        var resolved = SecureJoin.Resolve(LinuxSyscalls.Instance, _root, "/abs/passwd");
        Assert.Equal(_root + _outside + "/passwd", resolved);
        Assert.StartsWith(_root + "/", resolved);
    }

    [Fact]
    public void Symlink_loops_fail_with_ELOOP()
    {
        var e = Assert.Throws<ContainerInitException>(() => SecureJoin.Resolve(LinuxSyscalls.Instance, _root, "/loop1/x"));
        Assert.Equal(Errno.ELOOP, e.Errno);
    }

    [Fact]
    public void MkdirAll_creates_inside_the_root_and_never_outside()
    {
        var made = SecureJoin.MkdirAll(LinuxSyscalls.Instance, _root, "/up/a/b");
        Assert.Equal(Path.Combine(_root, "outside/a/b"), made);
        Assert.True(Directory.Exists(made));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public void MkdirAll_refuses_to_go_through_a_file()
    {
        var e = Assert.Throws<ContainerInitException>(() => SecureJoin.MkdirAll(LinuxSyscalls.Instance, _root, "/tofile/sub"));
        Assert.Contains("is not a directory", e.Message);
        Assert.Equal(Errno.ENOTDIR, e.Errno);
    }
}
