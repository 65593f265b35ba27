using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Images;
using ContainerPS.Tests.Unit.Support;

namespace ContainerPS.Tests.Unit.Images;

/// <summary>Every archive shape `docker load` accepts, and malformed ones that must change nothing.</summary>
public sealed class ArchiveFormatTests : IDisposable
{
    private readonly TempStore _t = new();

    public void Dispose() => _t.Dispose();

    private static string Sha(byte[] b) => "sha256:" + Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    private static byte[] Layer(string file, string content) => new TarBuilder().File(file, content).Build();

    private static byte[] Config(params byte[][] layers) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        architecture = "amd64",
        os = "linux",
        created = "2024-01-02T03:04:05Z",
        config = new { Cmd = new[] { "sh" } },
        rootfs = new { type = "layers", diff_ids = layers.Select(Sha).ToArray() },
    }));

    private static byte[] Tar(params (string Name, byte[]? Data, string? Link)[] entries)
    {
        using var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, data, link) in entries)
            {
                if (link is not null)
                {
                    w.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link });
                    continue;
                }
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data!) });
            }
        }
        return ms.ToArray();
    }

    private async Task<IReadOnlyList<Image>> Load(byte[] archive, string name = "a.tar")
    {
        var path = _t.PathFor(name);
        File.WriteAllBytes(path, archive);
        return await _t.Images.LoadAsync(path, null, CancellationToken.None);
    }

    [Fact]
    public async Task Loads_the_pre_Docker_25_layout_with_a_symlinked_duplicate_layer()
    {
        var l1 = Layer("a", "1");
        var config = Config(l1, l1);
        var manifest = Encoding.UTF8.GetBytes($$"""[{"Config":"abc.json","RepoTags":["old:1","old:2"],"Layers":["l1/layer.tar","l2/layer.tar"]}]""");
        var images = await Load(Tar(("abc.json", config, null), ("l1/layer.tar", l1, null), ("l2/layer.tar", null, "../l1/layer.tar"), ("manifest.json", manifest, null)));
        var image = Assert.Single(images);
        Assert.Equal(Sha(config), image.Id);
        Assert.Equal(new[] { "old:1", "old:2" }, image.RepoTags.OrderBy(x => x));
        Assert.Equal(MediaTypes.DockerManifest, image.ManifestMediaType);
    }

    [Fact]
    public async Task Loads_a_gzip_compressed_archive_and_gzip_and_zstd_layers_of_an_oci_layout()
    {
        var plain1 = Layer("one", "1");
        var plain2 = Layer("two", "2");
        var gz = Gzip(plain1);
        var zst = Zstd(plain2);
        var config = Config(plain1, plain2);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciManifest,
            config = new { mediaType = MediaTypes.OciConfig, digest = Sha(config), size = config.Length },
            layers = new object[]
            {
                new { mediaType = MediaTypes.OciLayerGzip, digest = Sha(gz), size = gz.Length },
                new { mediaType = MediaTypes.OciLayerZstd, digest = Sha(zst), size = zst.Length },
            },
        }));
        // A multi-platform index in front of the manifest, as registries and buildx produce.
        var platformIndex = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciIndex,
            manifests = new object[]
            {
                new { mediaType = MediaTypes.OciManifest, digest = "sha256:" + new string('0', 64), size = 10, platform = new { architecture = "s390x", os = "linux" } },
                new { mediaType = MediaTypes.OciManifest, digest = Sha(manifest), size = manifest.Length, platform = new { architecture = Platform.GoArchitecture, os = "linux" } },
            },
        }));
        var index = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = MediaTypes.OciIndex, digest = Sha(platformIndex), size = platformIndex.Length, annotations = new Dictionary<string, string> { ["io.containerd.image.name"] = "example.com/multi:3" } } },
        }));
        Blob(out var b1, config); Blob(out var b2, gz); Blob(out var b3, zst); Blob(out var b4, manifest); Blob(out var b5, platformIndex);
        var archive = Tar(b1, b2, b3, b4, b5, ("index.json", index, null), ("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), null));
        var image = Assert.Single(await Load(Gzip(archive), "oci.tar.gz"));
        Assert.Equal(Sha(config), image.Id);
        Assert.Equal(new[] { "example.com/multi:3" }, image.RepoTags);
        Assert.Equal(Sha(manifest), image.ManifestDigest);
        Assert.Equal(new[] { Sha(plain1), Sha(plain2) }, image.Layers);
    }

    private static void Blob(out (string, byte[]?, string?) entry, byte[] data) => entry = ("blobs/sha256/" + Sha(data)[7..], data, null);

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] Zstd(byte[] data)
    {
        var zstd = Tool.Require("zstd");
        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(input, data);
            Tool.Check(zstd, "-q", "-f", input, "-o", input + ".zst");
            return File.ReadAllBytes(input + ".zst");
        }
        finally
        {
            File.Delete(input);
            File.Delete(input + ".zst");
        }
    }

    [Fact]
    public async Task A_layer_whose_content_does_not_match_its_diff_id_is_refused_and_nothing_is_kept()
    {
        await _t.Images.ImportAsync(new TarBuilder().File("keep", "k").WriteTo(_t.PathFor("keep.tar")), "keep:1", Array.Empty<string>(), null, null, CancellationToken.None);
        var before = Snapshot();
        var l1 = Layer("a", "1");
        var config = Config(Layer("a", "DIFFERENT"));
        var manifest = Encoding.UTF8.GetBytes("""[{"Config":"c.json","RepoTags":["bad:1"],"Layers":["l.tar"]}]""");
        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => Load(Tar(("c.json", config, null), ("l.tar", l1, null), ("manifest.json", manifest, null))));
        Assert.Contains("uncompressed", ex.Message);
        Assert.False(_t.Images.TryGet("bad:1", out _));
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("no-manifest", "no manifest.json")]
    [InlineData("missing-layer", "\"missing.tar\" is not in the archive")]
    [InlineData("bad-blob-digest", "expected digest")]
    [InlineData("not-a-tar", "not a valid image archive")]
    [InlineData("bad-tag", "invalid image name \"Bad:Tag\"")]
    public async Task Malformed_archives_fail_with_a_clear_error_and_change_nothing(string kind, string message)
    {
        await _t.Images.ImportAsync(new TarBuilder().File("keep", "k").WriteTo(_t.PathFor("keep.tar")), "keep:1", Array.Empty<string>(), null, null, CancellationToken.None);
        var before = Snapshot();
        var l1 = Layer("a", "1");
        var config = Config(l1);
        byte[] archive = kind switch
        {
            "no-manifest" => Tar(("c.json", config, null), ("l.tar", l1, null)),
            "missing-layer" => Tar(("c.json", config, null), ("manifest.json", """[{"Config":"c.json","RepoTags":["x:1"],"Layers":["missing.tar"]}]"""u8.ToArray(), null)),
            "bad-blob-digest" => Tar(("blobs/sha256/" + new string('a', 64), l1, null), ("index.json", "{}"u8.ToArray(), null), ("oci-layout", "{}"u8.ToArray(), null)),
            "not-a-tar" => Encoding.UTF8.GetBytes(new string('z', 5000)),
            "bad-tag" => Tar(("c.json", config, null), ("l.tar", l1, null), ("manifest.json", """[{"Config":"c.json","RepoTags":["Bad:Tag"],"Layers":["l.tar"]}]"""u8.ToArray(), null)),
            _ => throw new ArgumentException(kind),
        };
        var ex = await Assert.ThrowsAnyAsync<EngineException>(() => Load(archive, kind + ".tar"));
        Assert.Contains(message, ex.Message);
        Assert.Contains(kind + ".tar", ex.Message);
        Assert.Equal(before, Snapshot());
    }

    private string Snapshot() => string.Join("\n",
        _t.Images.Content.List().Select(d => d.ToString()).Order()
            .Concat(_t.Images.LayerStore.List().Select(l => "layer " + l.ChainId).Order())
            .Concat(_t.Images.List().Select(i => "image " + i.Id + " " + string.Join(",", i.RepoTags))));
}
