using System.Formats.Tar;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;
using ContainerPS.Tests.Unit.Support;
using Xunit;

namespace ContainerPS.Tests.Unit.Images;

public sealed class ImageStoreTests : IDisposable
{
    private readonly TempStore _t = new();

    public void Dispose() => _t.Dispose();

    private string Rootfs(string marker = "hello") => new TarBuilder()
        .Dir("bin/").File("bin/tool", "#!/bin/sh\necho " + marker + "\n", (UnixFileMode)0b111_101_101)
        .Dir("etc/").File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        .Symlink("bin/sh", "tool")
        .WriteTo(_t.PathFor("rootfs-" + marker + ".tar"));

    private Task<Image> Import(string reference, string marker = "hello", params string[] changes) =>
        _t.Images.ImportAsync(Rootfs(marker), reference, changes, null, null, CancellationToken.None);

    [Fact]
    public async Task Import_creates_a_named_image_with_one_unpacked_layer()
    {
        var image = await Import("busybox", "hello", "CMD [\"sh\"]", "ENV A=1 B=\"two words\"", "EXPOSE 80", "LABEL org.x=y", "WORKDIR /srv");
        Assert.Equal(new[] { "busybox:latest" }, image.RepoTags);
        Assert.StartsWith("sha256:", image.Id);
        Assert.Single(image.Layers);
        Assert.Equal(new[] { "sh" }, image.Config.Cmd);
        Assert.Equal(new[] { "A=1", "B=two words" }, image.Config.Env);
        Assert.True(image.Config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal("y", image.Labels["org.x"]);
        Assert.Equal("/srv", image.Config.WorkingDir);
        var chain = ChainId.For(image.Layers.Select(Digest.Parse)).Last();
        var diff = _t.Images.LayerStore.DiffPath(chain);
        Assert.Equal("#!/bin/sh\necho hello\n", File.ReadAllText(Path.Combine(diff, "bin/tool")));
        Assert.Equal("tool", new FileInfo(Path.Combine(diff, "bin/sh")).LinkTarget);
        Assert.Same(image.Id, image.Id);
        Assert.Equal(image.Id, _t.Images.Get("busybox").Id);
        Assert.Equal(image.Id, _t.Images.Get("docker.io/library/busybox:latest").Id);
        Assert.Equal(image.Id, _t.Images.Get(image.Id[7..19]).Id);
    }

    [Fact]
    public async Task Save_then_load_into_another_store_preserves_ids_layers_and_manifest()
    {
        var a = await Import("app:1", "one");
        var b = await Import("tool:2", "two");
        _t.Images.Tag("app:1", "example.com/team/app:prod");
        var archive = _t.PathFor("out.tar");
        await _t.Images.SaveAsync(new[] { "app:1", "tool:2", "example.com/team/app:prod" }, archive, null, CancellationToken.None);

        var other = new ImageStore(new StoreLayout(_t.PathFor("store2")));
        var loaded = await other.LoadAsync(archive, null, CancellationToken.None);
        Assert.Equal(2, loaded.Count);
        var la = other.Get("app:1");
        Assert.Equal(a.Id, la.Id);
        Assert.Equal(a.Layers, la.Layers);
        Assert.Equal(a.ManifestDigest, la.ManifestDigest);
        Assert.Contains("example.com/team/app:prod", la.RepoTags);
        Assert.Equal(b.Id, other.Get("tool:2").Id);
    }

    [Fact]
    public async Task Saving_twice_gives_identical_archives()
    {
        await Import("app:1");
        await _t.Images.SaveAsync(new[] { "app:1" }, _t.PathFor("1.tar"), null, CancellationToken.None);
        await _t.Images.SaveAsync(new[] { "app:1" }, _t.PathFor("2.tar"), null, CancellationToken.None);
        Assert.Equal(File.ReadAllBytes(_t.PathFor("1.tar")), File.ReadAllBytes(_t.PathFor("2.tar")));
    }

    [Fact]
    public async Task Remove_untags_while_other_names_remain_then_deletes_and_collects_garbage()
    {
        var image = await Import("app:1");
        _t.Images.Tag("app:1", "app:2");
        var first = _t.Images.Remove("app:1", force: false);
        Assert.Equal(new[] { "Untagged: app:1" }, first.Select(r => r.ToString()));
        Assert.True(_t.Images.TryGet(image.Id, out _));

        var second = _t.Images.Remove("app:2", force: false);
        Assert.Equal(new[] { "Untagged: app:2", "Deleted: " + image.Id }, second.Select(r => r.ToString()));
        Assert.False(_t.Images.TryGet(image.Id, out _));
        Assert.Empty(_t.Images.Content.List());
        Assert.Empty(_t.Images.LayerStore.List());
    }

    [Fact]
    public async Task Remove_by_id_with_names_in_two_repositories_needs_force()
    {
        var image = await Import("app:1");
        _t.Images.Tag("app:1", "other:1");
        var ex = Assert.Throws<ConflictException>(() => _t.Images.Remove(image.Id[7..19], force: false));
        Assert.Contains("referenced in multiple repositories", ex.Message);
        var forced = _t.Images.Remove(image.Id[7..19], force: true);
        Assert.Contains(forced, r => r.Action == "Deleted");
        Assert.Empty(_t.Images.List());
    }

    [Fact]
    public async Task An_image_a_container_uses_is_not_removed_without_force_and_its_content_survives_gc()
    {
        var image = await Import("app:1");
        var containerDir = Path.Combine(_t.Layout.Containers, "c1");
        Directory.CreateDirectory(containerDir);
        File.WriteAllText(Path.Combine(containerDir, "container.json"), $"{{\"Id\":\"c1c1c1c1c1c1c1\",\"ImageId\":\"{image.Id}\"}}");
        var ex = Assert.Throws<ConflictException>(() => _t.Images.Remove("app:1", force: false));
        Assert.Equal("ImageInUse", ex.ErrorId);
        Assert.Contains("c1c1c1c1c1c1", ex.Message);
        _t.Images.Remove("app:1", force: true);
        _t.Images.CollectGarbage();
        var chain = ChainId.For(image.Layers.Select(Digest.Parse)).Last();
        Assert.True(_t.Images.LayerStore.Exists(chain), "a layer a container uses must survive GC");
    }

    [Fact]
    public async Task Tag_moves_a_name_and_leaves_the_old_image_dangling()
    {
        var one = await Import("app:latest", "one");
        var two = await Import("app:latest", "two");
        Assert.NotEqual(one.Id, two.Id);
        var old = _t.Images.Get(one.Id);
        Assert.True(old.Dangling);
        Assert.Equal("<none>", old.Repository);
        Assert.Single(_t.Images.List(new ImageFilter { Dangling = true }));
    }

    [Fact]
    public async Task A_failed_import_leaves_no_image_and_no_new_content()
    {
        await Import("keep:1");
        var blobsBefore = _t.Images.Content.List().OrderBy(d => d.ToString()).ToList();
        var layersBefore = _t.Images.LayerStore.List().Count();
        var broken = _t.PathFor("broken.tar");
        var good = new TarBuilder().File("a", new string('x', 100_000)).Build();
        File.WriteAllBytes(broken, good.AsSpan(0, 20_000).ToArray()); // truncated mid-file
        await Assert.ThrowsAnyAsync<Exception>(() => _t.Images.ImportAsync(broken, "bad:1", Array.Empty<string>(), null, null, CancellationToken.None));
        Assert.False(_t.Images.TryGet("bad:1", out _));
        Assert.Equal(blobsBefore, _t.Images.Content.List().OrderBy(d => d.ToString()).ToList());
        Assert.Equal(layersBefore, _t.Images.LayerStore.List().Count());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_t.Layout.Ingest));
    }

    [Fact]
    public async Task A_blob_write_interrupted_midway_is_never_visible()
    {
        var content = new ContentStore(_t.Layout);
        using var cts = new CancellationTokenSource();
        var stream = new ThrowingStream(new byte[1 << 22], failAfter: 1 << 20);
        await Assert.ThrowsAsync<IOException>(() => content.WriteAsync(stream, null, null, cts.Token));
        Assert.Empty(content.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_t.Layout.Ingest));
    }

    [Fact]
    public async Task A_crashed_writer_leaves_only_ingest_garbage_that_gc_removes()
    {
        await Import("app:1");
        // Simulate a process killed mid-write: a partial file in ingest/ and a half-unpacked layer dir.
        File.WriteAllText(Path.Combine(_t.Layout.Ingest, "deadbeef"), "partial");
        Directory.CreateDirectory(Path.Combine(_t.Layout.Layers, ".tmp-crashed", "diff"));
        File.SetLastWriteTimeUtc(Path.Combine(_t.Layout.Ingest, "deadbeef"), DateTime.UtcNow.AddMinutes(-5));
        Directory.SetLastWriteTimeUtc(Path.Combine(_t.Layout.Layers, ".tmp-crashed"), DateTime.UtcNow.AddMinutes(-5));
        Assert.Single(_t.Images.List());
        _t.Images.CollectGarbage();
        Assert.Empty(Directory.EnumerateFileSystemEntries(_t.Layout.Ingest));
        Assert.False(Directory.Exists(Path.Combine(_t.Layout.Layers, ".tmp-crashed")));
        Assert.Single(_t.Images.List());
    }

    [Fact]
    public async Task Gc_spares_new_content_of_an_operation_in_progress()
    {
        using (var lease = Lease.Begin(_t.Layout))
        {
            var blob = await _t.Images.Content.WriteAsync("unreferenced yet"u8.ToArray());
            var result = _t.Images.CollectGarbage();
            Assert.Equal(0, result.BlobsRemoved);
            Assert.True(_t.Images.Content.Exists(blob.Digest));
        }
        Assert.Equal(1, _t.Images.CollectGarbage().BlobsRemoved);
    }

    [Fact]
    public async Task Concurrent_tagging_from_two_store_instances_loses_no_update()
    {
        await Import("base:1");
        var s1 = new ImageStore(_t.Layout);
        var s2 = new ImageStore(_t.Layout);
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? s1 : s2).Tag("base:1", $"copy:{i}"))).ToArray();
        await Task.WhenAll(tasks);
        Assert.Equal(41, _t.Images.Get("base:1").RepoTags.Count);
    }

    [Fact]
    public async Task Unknown_and_invalid_names_give_typed_errors()
    {
        await Import("app:1");
        Assert.Equal("ImageNotFound", Assert.Throws<NotFoundException>(() => _t.Images.Get("nosuch:tag")).ErrorId);
        Assert.Equal("InvalidReference", Assert.Throws<InvalidArgumentException>(() => _t.Images.Get("Bad:Name")).ErrorId);
        Assert.Equal("InvalidChange", (await Assert.ThrowsAsync<InvalidArgumentException>(() => Import("x:1", "x", "FROB x"))).ErrorId);
    }

    [Fact]
    public async Task History_lists_newest_first_with_layer_sizes()
    {
        var image = await Import("app:1");
        var history = _t.Images.History("app:1");
        Assert.Single(history);
        Assert.Equal(image.Id, history[0].Id);
        Assert.True(history[0].Size > 0);
        Assert.Contains("Imported from", history[0].Comment);
    }

    private sealed class ThrowingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter) throw new IOException("simulated crash");
            return base.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter) throw new IOException("simulated crash");
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
