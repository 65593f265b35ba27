using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Volumes;
using ContainerPS.Tests.Unit.Containers;

namespace ContainerPS.Tests.Unit.Volumes;

/// <summary>Named and anonymous volumes, binds and tmpfs on real busybox containers.</summary>
[Collection("Containers")]
public sealed class VolumeTests : IDisposable
{
    private readonly ContainerHarness _h = new();
    private readonly string _host = Directory.CreateTempSubdirectory("cps-voltest-").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_host, recursive: true);
    }

    private VolumeStore Volumes => _h.Containers.Volumes;

    private async Task<RunResult> Run(string script, params string[] volumes) =>
        await _h.RunToEnd(new ContainerCreateOptions { Command = new[] { "sh", "-c", script }, Volumes = volumes.ToList() });

    [Fact]
    public async Task A_named_volume_keeps_its_data_across_container_removal_and_recreation()
    {
        var first = await Run("echo kept > /data/f; echo written", "keep:/data");
        Assert.Equal(0, first.ExitCode);
        await _h.Containers.RemoveAsync(first.Id, force: true, removeVolumes: true, CancellationToken.None);
        Assert.True(Volumes.Exists("keep")); // named volumes outlive containers, even with -v
        var second = await Run("cat /data/f", "keep:/data");
        Assert.Equal(new[] { "kept" }, second.Lines);
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(Volumes.DataPath("keep"), "f")));
        var c = _h.Containers.Get(second.Id);
        var m = Assert.Single(c.Mounts);
        Assert.Equal(("volume", "keep", "/data", true), (m.Type, m.Name, m.Destination, m.RW));
    }

    [Fact]
    public async Task Read_only_mounts_refuse_writes_inside()
    {
        Volumes.Create("rovol");
        File.WriteAllText(Path.Combine(_host, "f"), "host\n");
        var r = await Run("echo x > /v/new 2>/dev/null && echo vol-writable; echo x > /b/new 2>/dev/null && echo bind-writable; cat /b/f; echo done",
            "rovol:/v:ro", _host + ":/b:ro");
        Assert.Equal(new[] { "host", "done" }, r.Lines);
        Assert.False(File.Exists(Path.Combine(_host, "new")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Volumes.DataPath("rovol")));
    }

    [Fact]
    public async Task Bind_mounts_share_files_both_ways_and_minus_v_creates_a_missing_host_dir()
    {
        File.WriteAllText(Path.Combine(_host, "in"), "from host\n");
        var missing = Path.Combine(_host, "made", "by", "v");
        var r = await Run("cat /b/in; echo from container > /b/out; echo x > /m/x; echo ok", _host + ":/b", missing + ":/m");
        Assert.Equal(new[] { "from host", "ok" }, r.Lines);
        Assert.Equal("from container\n", File.ReadAllText(Path.Combine(_host, "out")));
        Assert.True(File.Exists(Path.Combine(missing, "x")));

        // --mount does not create it (Docker's error).
        var e = Assert.ThrowsAny<InvalidArgumentException>(() => _h.Run(new ContainerCreateOptions
        {
            Command = new[] { "true" }, Mounts = { $"type=bind,source={_host}/nope,target=/x" },
        }));
        Assert.Equal($"invalid mount config for type \"bind\": bind source path does not exist: {_host}/nope", e.Message);
    }

    [Fact]
    public async Task Tmpfs_mounts_are_tmpfs_with_their_options_and_leave_nothing()
    {
        var r = await _h.RunToEnd(new ContainerCreateOptions
        {
            Command = new[] { "sh", "-c", "grep ' /run ' /proc/mounts; grep ' /cache ' /proc/mounts; echo x > /run/f && cat /run/f" },
            Tmpfs = { "/run:size=64m" },
            Mounts = { "type=tmpfs,target=/cache,tmpfs-size=1m" },
        });
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k", r.Lines[0]);
        Assert.Matches(@"^tmpfs /cache tmpfs rw,.*size=1024k", r.Lines[1]);
        Assert.Equal("x", r.Lines[2]);
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }

    [Fact]
    public async Task An_image_VOLUME_gets_an_anonymous_volume_filled_with_the_image_content()
    {
        var image = await VolumeHarness.ImageWithData(_h);
        var r = await _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = new[] { "sh", "-c", "cat /data/link; echo new > /data/new" } });
        Assert.Equal(new[] { "image" }, r.Lines);
        var mount = Assert.Single(_h.Containers.Get(r.Id).Mounts);
        Assert.True(mount.Anonymous);
        Assert.Matches("^[0-9a-f]{64}$", mount.Name);
        var data = Volumes.DataPath(mount.Name!);
        // Copy-up kept owners, modes and the symlink, and the mount point's own owner and mode.
        Assert.Equal("1000:1000 750 directory", VolumeHarness.Stat(data));
        Assert.Equal("1000:1000 600 regular file", VolumeHarness.Stat(Path.Combine(data, "file")));
        Assert.Equal("file", new FileInfo(Path.Combine(data, "link")).LinkTarget);
        Assert.Equal("deep\n", File.ReadAllText(Path.Combine(data, "sub", "deep")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(data, "new")));

        // docker rm keeps anonymous volumes; docker rm -v removes them.
        var second = await _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = new[] { "true" } });
        var secondVolume = Assert.Single(_h.Containers.Get(second.Id).Mounts).Name!;
        await _h.Containers.RemoveAsync(r.Id, force: false, CancellationToken.None);
        Assert.True(Volumes.Exists(mount.Name!));
        await _h.Containers.RemoveAsync(second.Id, force: false, removeVolumes: true, CancellationToken.None);
        Assert.False(Volumes.Exists(secondVolume));
        // A plain prune removes the unused anonymous volume, not named ones.
        Volumes.Create("named");
        var pruned = Volumes.Prune(all: false);
        Assert.Equal(new[] { mount.Name }, pruned.Select(v => v.Name));
        Assert.True(Volumes.Exists("named"));
    }

    [Fact]
    public async Task A_detached_AutoRemove_container_takes_its_anonymous_volumes_along_but_not_named_ones()
    {
        var image = await VolumeHarness.ImageWithData(_h);
        var c = _h.Run(new ContainerCreateOptions { Image = image, AutoRemove = true, Command = new[] { "sh", "-c", "echo x > /kept/f" }, Volumes = { "kept:/kept" } });
        var anonymous = Assert.Single(c.Mounts, m => m.Anonymous).Name!;
        Assert.True(Volumes.Exists(anonymous));
        Assert.True(await ContainerHarness.Eventually(() => !Directory.Exists(_h.DirOf(c.Id)), TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(anonymous, Volumes.List().Select(v => v.Name));
        Assert.False(Volumes.Exists(anonymous));
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(Volumes.DataPath("kept"), "f")));
    }

    [Fact]
    public async Task Copy_up_fills_a_new_empty_named_volume_but_not_a_non_empty_one_nor_with_nocopy()
    {
        var image = await VolumeHarness.ImageWithData(_h);
        var fresh = await _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = new[] { "ls", "/data" }, Volumes = { "fresh:/data" } });
        Assert.Equal(new[] { "file", "link", "sub" }, fresh.Lines);
        Assert.Equal("1000:1000 600 regular file", VolumeHarness.Stat(Path.Combine(Volumes.DataPath("fresh"), "file")));

        Volumes.Create("full");
        File.WriteAllText(Path.Combine(Volumes.DataPath("full"), "mine"), "mine");
        var full = await _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = new[] { "ls", "/data" }, Volumes = { "full:/data" } });
        Assert.Equal(new[] { "mine" }, full.Lines);

        var nocopy = await _h.RunToEnd(new ContainerCreateOptions { Image = image, Command = new[] { "ls", "/data" }, Volumes = { "empty:/data:nocopy" } });
        Assert.Empty(nocopy.Lines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Volumes.DataPath("empty")));
        Assert.Empty(VolumeHarness.MountsUnder(_h.Store.Root));
    }

    [Fact]
    public async Task A_volume_in_use_is_not_removed_and_an_unused_one_is()
    {
        var c = _h.Run(new ContainerCreateOptions { Command = new[] { "sleep", "30" }, Volumes = { "busy:/data" } });
        var e = Assert.ThrowsAny<ConflictException>(() => Volumes.Remove("busy"));
        Assert.Equal("VolumeInUse", e.ErrorId);
        Assert.Equal($"remove busy: volume is in use - [{c.Id}]", e.Message);
        Assert.Equal(new[] { c.Name }, Volumes.Get("busy").UsedBy);
        await _h.Kill(c.Id);
        await _h.Settled(c.Id, TimeSpan.FromSeconds(5));
        Assert.ThrowsAny<ConflictException>(() => Volumes.Remove("busy")); // a stopped container still uses it
        await _h.Containers.RemoveAsync(c.Id, force: true, CancellationToken.None);
        Assert.Equal("busy", Volumes.Remove("busy").Name);
        Assert.False(Directory.Exists(Path.Combine(_h.Store.Layout.Volumes, "busy")));
        Assert.Equal("VolumeNotFound", Assert.ThrowsAny<NotFoundException>(() => Volumes.Remove("busy")).ErrorId);
    }

    [Fact]
    public void Volumes_have_labels_and_local_driver_options_and_bad_ones_are_refused()
    {
        var v = Volumes.Create("lab", new Dictionary<string, string> { ["env"] = "test" });
        Assert.Equal(("local", "test"), (v.Driver, Volumes.Get("lab").Labels["env"]));
        Assert.Same(v.Name, v.Name);
        Assert.Equal("lab", Volumes.Create("lab", new Dictionary<string, string> { ["env"] = "test" }).Name); // idempotent, as docker volume create
        Assert.Equal("InvalidVolumeOption", Assert.ThrowsAny<InvalidArgumentException>(() => Volumes.Create("x1", driverOptions: new Dictionary<string, string> { ["color"] = "red" })).ErrorId);
        Assert.Equal("UnknownVolumeDriver", Assert.ThrowsAny<InvalidArgumentException>(() => Volumes.Create("x2", driver: "nfs")).ErrorId);
        Assert.Equal("InvalidVolumeName", Assert.ThrowsAny<InvalidArgumentException>(() => Volumes.Create("a/b")).ErrorId);
        Assert.Equal(new[] { "lab" }, Volumes.List().Select(x => x.Name));
    }

    [Fact]
    public async Task A_tmpfs_volume_by_driver_options_and_a_bind_volume_are_mounted_by_the_runtime()
    {
        Volumes.Create("tv", driverOptions: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=2m" });
        Volumes.Create("bv", driverOptions: new Dictionary<string, string> { ["type"] = "none", ["o"] = "bind", ["device"] = _host });
        var r = await Run("grep ' /t ' /proc/mounts | cut -d' ' -f3; echo hi > /b/hi; echo ok", "tv:/t", "bv:/b");
        Assert.Equal(new[] { "tmpfs", "ok" }, r.Lines);
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(_host, "hi")));
    }

    [Theory]
    [OciRuntimes.InstalledRuntime("runc")]
    [OciRuntimes.InstalledRuntime("crun")]
    public async Task External_runtimes_get_the_same_mounts_from_the_bundle(string runtime)
    {
        using var crun = OciRuntimes.CrunHybridCgroups.For(runtime);
        File.WriteAllText(Path.Combine(_host, "f"), "bound\n");
        var r = await _h.RunToEnd(new ContainerCreateOptions
        {
            Runtime = runtime, Command = new[] { "sh", "-c", "cat /b/f; echo x > /b/w 2>/dev/null || echo ro; echo v > /v/f; grep -c ' /t tmpfs' /proc/mounts" },
            Volumes = { _host + ":/b:ro", "rt:/v" }, Tmpfs = { "/t" },
        });
        try
        {
            Assert.Equal(new[] { "bound", "ro", "1" }, r.Lines);
            Assert.Equal("v\n", File.ReadAllText(Path.Combine(Volumes.DataPath("rt"), "f")));
        }
        finally
        {
            await _h.Containers.RemoveAsync(r.Id, force: true, CancellationToken.None);
        }
    }
}
