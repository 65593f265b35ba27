using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Containers.Copy;
using ContainerPS.Engine.Errors;
using ContainerPS.Tests.Unit.Containers;
using ContainerPS.Tests.Unit.Volumes;

namespace ContainerPS.Tests.Unit.Copy;

/// <summary>
/// docker cp both ways on running and stopped busybox containers: archive semantics, owners,
/// modes and symlinks, volumes, and the symlink-escape cases (CVE-2018-15664, CVE-2019-14271
/// class): nothing a container's symlinks say may make a copy read or write outside its root.
/// </summary>
[Collection("Containers")]
public sealed class CopyTests : IDisposable
{
    private readonly ContainerHarness _h = new();
    private readonly string _host = Directory.CreateTempSubdirectory("cps-cptest-").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_host, recursive: true);
    }

    private ContainerManager C => _h.Containers;
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A container with /src (owned 1000, modes, a symlink) that runs (sleeps) or has exited.</summary>
    private async Task<Container> Prepared(bool running, params string[] volumes)
    {
        const string setup = "mkdir -p /src/sub && echo one > /src/one && chown 1000:1001 /src/one && chmod 640 /src/one && " +
                             "ln -s one /src/link && ln -s /etc/passwd /src/abs && echo two > /src/sub/two && chmod 2750 /src/sub";
        var c = _h.Run(new ContainerCreateOptions
        {
            Command = new[] { "sh", "-c", setup + (running ? " && touch /ready && exec sleep 60" : "") },
            Volumes = volumes.ToList(),
        });
        if (running)
        {
            Assert.True(await ContainerHarness.Eventually(() => File.Exists(Path.Combine(_h.DirOf(c.Id), "diff", "ready")), TimeSpan.FromSeconds(5)));
            Assert.True(C.Get(c.Id).Running);
        }
        else
        {
            Assert.Equal(0, await _h.Wait(c.Id));
        }
        return c;
    }

    private string Upper(Container c, string path) => Path.Combine(_h.DirOf(c.Id), "diff", path.TrimStart('/'));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Out_of_a_container_keeps_modes_owners_and_symlinks(bool running)
    {
        var c = await Prepared(running);
        // DEST exists: SRC goes into it.
        await C.CopyFromContainerAsync(c.Id, "/src", _host, null, None);
        var src = Path.Combine(_host, "src");
        Assert.Equal("1000:1001 640 regular file", VolumeHarness.Stat(Path.Combine(src, "one")));
        Assert.Equal("0:0 2750 directory", VolumeHarness.Stat(Path.Combine(src, "sub")));
        Assert.Equal("one", new FileInfo(Path.Combine(src, "link")).LinkTarget);
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(src, "abs")).LinkTarget); // copied as a link, never followed
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(src, "sub", "two")));

        // DEST missing: created with SRC's content; "SRC/." into an existing DEST: the content only.
        await C.CopyFromContainerAsync(c.Id, "/src", Path.Combine(_host, "renamed"), null, None);
        Assert.True(File.Exists(Path.Combine(_host, "renamed", "one")));
        Directory.CreateDirectory(Path.Combine(_host, "dot"));
        await C.CopyFromContainerAsync(c.Id, "/src/.", Path.Combine(_host, "dot"), null, None);
        Assert.True(File.Exists(Path.Combine(_host, "dot", "one")));
        Assert.False(Directory.Exists(Path.Combine(_host, "dot", "src")));

        // A symlink as SRC is copied as a link; -FollowLink copies what it points to.
        await C.CopyFromContainerAsync(c.Id, "/src/link", Path.Combine(_host, "l1"), null, None);
        Assert.Equal("one", new FileInfo(Path.Combine(_host, "l1")).LinkTarget);
        await C.CopyFromContainerAsync(c.Id, "/src/link", Path.Combine(_host, "l2"), new CopyOptions { FollowLink = true }, None);
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(_host, "l2")));
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Into_a_container_keeps_modes_and_symlinks_and_owners_with_archive(bool running)
    {
        var c = await Prepared(running);
        var tree = Path.Combine(_host, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "d"));
        File.WriteAllText(Path.Combine(tree, "d", "f"), "host\n");
        Support.Tool.Check("chown", "1234:2345", Path.Combine(tree, "d", "f"));
        Support.Tool.Check("chmod", "4755", Path.Combine(tree, "d", "f"));
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "d/f");

        await C.CopyToContainerAsync(c.Id, tree, "/", null, None);
        Assert.Equal("0:0 4755 regular file", VolumeHarness.Stat(Upper(c, "/tree/d/f")));
        Assert.Equal("d/f", new FileInfo(Upper(c, "/tree/link")).LinkTarget);
        await C.CopyToContainerAsync(c.Id, tree, "/kept", new CopyOptions { Archive = true }, None);
        Assert.Equal("1234:2345 4755 regular file", VolumeHarness.Stat(Upper(c, "/kept/d/f")));

        // A file onto an existing file overwrites it; into an existing directory keeps its name.
        await C.CopyToContainerAsync(c.Id, Path.Combine(tree, "d", "f"), "/src/one", null, None);
        Assert.Equal("host\n", File.ReadAllText(Upper(c, "/src/one")));
        await C.CopyToContainerAsync(c.Id, Path.Combine(tree, "d", "f"), "/src/sub/", null, None);
        Assert.Equal("host\n", File.ReadAllText(Upper(c, "/src/sub/f")));
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }

    [Fact]
    public async Task A_copy_of_a_stopped_container_and_its_start_exclude_each_other()
    {
        var c = await Prepared(running: false);
        // Hold the lock Start holds: the copy (which mounts the container's upper directory) waits for it.
        var held = ContainerPS.Runtime.IO.FileLock.Acquire(Path.Combine(_h.DirOf(c.Id), "lock"));
        var copy = C.CopyFromContainerAsync(c.Id, "/src/one", Path.Combine(_host, "one"), null, None);
        await Task.Delay(500);
        Assert.False(copy.IsCompleted);
        held.Dispose();
        await copy.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(_host, "one")));
    }

    [Fact]
    public async Task Docker_cp_errors()
    {
        var c = await Prepared(running: false);
        var e1 = await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/nope", _host, null, None));
        Assert.Equal($"Could not find the file /nope in container {c.Name}", e1.Message);
        var e2 = await Assert.ThrowsAnyAsync<InvalidArgumentException>(() => C.CopyFromContainerAsync(c.Id, "/src/one/", _host, null, None));
        Assert.Equal("CopySourceNotDirectory", e2.ErrorId);
        var e3 = await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/src/one", Path.Combine(_host, "missing") + "/", null, None));
        Assert.Equal("CopyDestinationNotFound", e3.ErrorId);
        var e4 = await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/src/one", Path.Combine(_host, "a", "b"), null, None));
        Assert.Equal("CopyDestinationNotFound", e4.ErrorId);
        File.WriteAllText(Path.Combine(_host, "file"), "x");
        var e5 = await Assert.ThrowsAnyAsync<InvalidArgumentException>(() => C.CopyFromContainerAsync(c.Id, "/src", Path.Combine(_host, "file"), null, None));
        Assert.Equal("CannotCopyDirectoryToFile", e5.ErrorId);
        var e6 = await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyToContainerAsync(c.Id, Path.Combine(_host, "nope"), "/", null, None));
        Assert.Equal($"lstat {_host}/nope: no such file or directory", e6.Message);
        var e7 = await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyToContainerAsync(c.Id, Path.Combine(_host, "file"), "/no/such/dir/x", null, None));
        Assert.Equal($"Could not find the file /no/such/dir in container {c.Name}", e7.Message);
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyToContainerAsync("nosuchcontainer", _host, "/", null, None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Symlinks_in_the_container_never_reach_the_host(bool running)
    {
        // The host's sentinel: a directory with a file, which the container's links name by absolute path.
        var sentinelDir = Path.Combine(_host, "sentinel");
        Directory.CreateDirectory(sentinelDir);
        var sentinel = Path.Combine(sentinelDir, "secret");
        File.WriteAllText(sentinel, "host secret\n");
        var before = Directory.GetFileSystemEntries(_host, "*", SearchOption.AllDirectories).Order().ToList();

        var c = _h.Run(new ContainerCreateOptions
        {
            Command = new[] { "sh", "-c",
                $"ln -s /loop /loop && ln -s / /toroot && ln -s ../../../../../.. /up && ln -s {sentinelDir} /abs && ln -s {sentinel} /absfile && mkdir -p /box && ln -s ../../.. /box/up" +
                (running ? " && touch /ready && exec sleep 60" : "") },
        });
        if (running) Assert.True(await ContainerHarness.Eventually(() => File.Exists(Upper(c, "/ready")), TimeSpan.FromSeconds(5)));
        else Assert.Equal(0, await _h.Wait(c.Id));

        // Reading: every link resolves inside the container.
        await C.CopyFromContainerAsync(c.Id, "/up/etc/passwd", Path.Combine(_host, "p1"), null, None);
        await C.CopyFromContainerAsync(c.Id, "/box/up/etc/passwd", Path.Combine(_host, "p2"), null, None);
        await C.CopyFromContainerAsync(c.Id, "/toroot/etc/group", Path.Combine(_host, "g1"), null, None);
        Assert.StartsWith("root:x:0:0:root:/root:/bin/sh\nnobody", File.ReadAllText(Path.Combine(_host, "p1"))); // the container's, not the host's
        Assert.Equal(File.ReadAllText(Path.Combine(_host, "p1")), File.ReadAllText(Path.Combine(_host, "p2")));
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/abs/secret", Path.Combine(_host, "s1"), null, None));
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/absfile", Path.Combine(_host, "s2"), new CopyOptions { FollowLink = true }, None));
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyFromContainerAsync(c.Id, "/up" + sentinel, Path.Combine(_host, "s3"), null, None));

        Assert.Equal("CopySymlinkLoop", (await Assert.ThrowsAnyAsync<InvalidArgumentException>(() => C.CopyFromContainerAsync(c.Id, "/loop/x", _host, null, None))).ErrorId);

        // Writing: through the same links, files land inside the container.
        var payload = Path.Combine(_host, "payload");
        File.WriteAllText(payload, "payload\n");
        await C.CopyToContainerAsync(c.Id, payload, "/toroot/", null, None);
        await C.CopyToContainerAsync(c.Id, payload, "/up/viaup", null, None);
        await C.CopyToContainerAsync(c.Id, payload, "/box/up/viabox", null, None);
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyToContainerAsync(c.Id, payload, "/abs/secret", null, None));
        await Assert.ThrowsAnyAsync<NotFoundException>(() => C.CopyToContainerAsync(c.Id, payload, "/up" + sentinelDir + "/", null, None));
        // A link as the destination file is replaced, not written through.
        await C.CopyToContainerAsync(c.Id, payload, "/absfile", null, None);
        Assert.Equal("payload\n", File.ReadAllText(Upper(c, "/payload")));
        Assert.Equal("payload\n", File.ReadAllText(Upper(c, "/viaup")));
        Assert.Equal("payload\n", File.ReadAllText(Upper(c, "/viabox")));

        Assert.Equal("host secret\n", File.ReadAllText(sentinel));
        var after = Directory.GetFileSystemEntries(_host, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith("payload") && !Path.GetFileName(p).StartsWith('p') && !Path.GetFileName(p).StartsWith('g')).Order().ToList();
        Assert.Equal(before, after);
        Assert.Equal(new[] { sentinel }, Directory.GetFileSystemEntries(sentinelDir));
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Copies_into_a_volume_land_in_the_volume_and_read_only_ones_refuse(bool running)
    {
        var bind = Path.Combine(_host, "bind");
        Directory.CreateDirectory(bind);
        var c = await Prepared(running, "cpvol:/data", bind + ":/ro:ro");
        var payload = Path.Combine(_host, "payload");
        File.WriteAllText(payload, "into volume\n");
        await C.CopyToContainerAsync(c.Id, payload, "/data/", null, None);
        Assert.Equal("into volume\n", File.ReadAllText(Path.Combine(C.Volumes.DataPath("cpvol"), "payload")));
        Assert.False(File.Exists(Upper(c, "/data/payload")));
        await C.CopyFromContainerAsync(c.Id, "/data/payload", Path.Combine(_host, "back"), null, None);
        Assert.Equal("into volume\n", File.ReadAllText(Path.Combine(_host, "back")));

        var e = await Assert.ThrowsAnyAsync<EngineException>(() => C.CopyToContainerAsync(c.Id, payload, "/ro/", null, None));
        Assert.Equal("ReadOnlyDestination", e.ErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(bind));
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
        Assert.Empty(VolumeHarness.MountsUnder("/tmp/containerps-mnt-"));
    }

    private static (ulong Inode, ulong Links) Node(string path)
    {
        var status = Engine.Interop.FileSystem.LStat(path);
        return (status.Inode, status.LinkCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Out_of_a_container_hard_links_within_the_copy_stay_hard_links(bool running)
    {
        // /hl/a, /hl/b and /hl/sub/c are one file, which also has a name outside the copied tree.
        var c = _h.Run(new ContainerCreateOptions
        {
            Command = new[] { "sh", "-c", "mkdir -p /hl/sub && echo linked > /hl/a && ln /hl/a /hl/b && ln /hl/a /hl/sub/c && ln /hl/a /elsewhere && " +
                                          "echo single > /hl/d" + (running ? " && touch /ready && exec sleep 60" : "") },
        });
        if (running) Assert.True(await ContainerHarness.Eventually(() => File.Exists(Upper(c, "/ready")), TimeSpan.FromSeconds(5)));
        else Assert.Equal(0, await _h.Wait(c.Id));

        await C.CopyFromContainerAsync(c.Id, "/hl", _host, null, None);
        var a = Node(Path.Combine(_host, "hl", "a"));
        Assert.Equal((a.Inode, 3UL), a); // three names copied; the fourth stayed behind in the container
        Assert.Equal(a, Node(Path.Combine(_host, "hl", "b")));
        Assert.Equal(a, Node(Path.Combine(_host, "hl", "sub", "c")));
        Assert.Equal("linked\n", File.ReadAllText(Path.Combine(_host, "hl", "sub", "c")));
        Assert.Equal(1UL, Node(Path.Combine(_host, "hl", "d")).Links);

        // One name alone is an ordinary file; a second copy of the tree is linked within itself only.
        await C.CopyFromContainerAsync(c.Id, "/hl/b", Path.Combine(_host, "b-alone"), null, None);
        Assert.Equal(1UL, Node(Path.Combine(_host, "b-alone")).Links);
        await C.CopyFromContainerAsync(c.Id, "/hl", Path.Combine(_host, "again"), null, None);
        var again = Node(Path.Combine(_host, "again", "a"));
        Assert.NotEqual(a.Inode, again.Inode);
        Assert.Equal((again.Inode, 3UL), Node(Path.Combine(_host, "again", "b")));
        Assert.Equal((a.Inode, 3UL), Node(Path.Combine(_host, "hl", "a")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Into_a_container_hard_links_stay_hard_links_and_never_reach_outside(bool running)
    {
        // The host sentinel, and a bind mount inside the destination tree (another file system: no link possible).
        var sentinel = Path.Combine(_host, "secret");
        File.WriteAllText(sentinel, "host secret\n");
        var bind = Path.Combine(_host, "bind");
        Directory.CreateDirectory(bind);
        var c = _h.Run(new ContainerCreateOptions
        {
            // The destination's "b" is planted as a symlink to the host's sentinel path and to the container's passwd.
            Command = new[] { "sh", "-c", $"mkdir -p /dst/tree && ln -s {sentinel} /dst/tree/b && ln -s /etc/passwd /dst/tree/c" +
                                          (running ? " && touch /ready && exec sleep 60" : "") },
            Volumes = new List<string> { bind + ":/dst/tree/vol" },
        });
        if (running) Assert.True(await ContainerHarness.Eventually(() => File.Exists(Upper(c, "/ready")), TimeSpan.FromSeconds(5)));
        else Assert.Equal(0, await _h.Wait(c.Id));

        var tree = Path.Combine(_host, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "vol"));
        File.WriteAllText(Path.Combine(tree, "a"), "from host\n");
        Support.Tool.Check("ln", Path.Combine(tree, "a"), Path.Combine(tree, "b"));
        Support.Tool.Check("ln", Path.Combine(tree, "a"), Path.Combine(tree, "c"));
        Support.Tool.Check("ln", Path.Combine(tree, "a"), Path.Combine(tree, "vol", "e"));

        await C.CopyToContainerAsync(c.Id, tree, "/dst", null, None);

        var a = Node(Upper(c, "/dst/tree/a"));
        Assert.Equal((a.Inode, 3UL), a);
        Assert.Equal(a, Node(Upper(c, "/dst/tree/b"))); // the planted symlinks were replaced by links, not written through
        Assert.Equal(a, Node(Upper(c, "/dst/tree/c")));
        Assert.Equal("from host\n", File.ReadAllText(Upper(c, "/dst/tree/b")));
        // In the bind mount the name is a copy of its own (EXDEV), on the host side of the bind.
        Assert.Equal(1UL, Node(Path.Combine(bind, "e")).Links);
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(bind, "e")));

        Assert.Equal("host secret\n", File.ReadAllText(sentinel));
        Assert.Equal(1UL, Node(sentinel).Links);
        Assert.False(File.Exists(Upper(c, "/etc/passwd")), "the container's /etc/passwd was written through a planted link");
        Assert.Equal(4UL, Node(Path.Combine(tree, "a")).Links); // the host's tree is as it was
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }
}
